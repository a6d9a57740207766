/** How a consistency score (0–100) reads: 80 and up is on message, under 60 needs work. */
export function scoreClass(score: number | null): 'good' | 'warn' | 'bad' | '' {
  if (score === null) return ''
  return score >= 80 ? 'good' : score >= 60 ? 'warn' : 'bad'
}
