import { describe, expect, it } from 'vitest'
import { scheduleTasks } from './schedule.ts'
import { Task, type TaskInput } from './schema.ts'

const TZ = 'Asia/Shanghai'
const plan = (tasks: TaskInput[]) => tasks.map((t) => Task.parse(t))
const day = (d: number) => new Date(Date.UTC(2026, 2, d) - 8 * 3600_000).toISOString() // local midnight of 2026-03-d

// A launch plan worked by hand (durations in days):
//   brief 2 ─┬─ copy 3 ───┐
//            ├─ design 5 ─┴─ review 1 ─┬─ launch 1
//            └─ media 2 ───────────────┘
// Forward: brief 0–2; copy 2–5; design 2–7; media 2–4; review 7–8; launch 8–9. Finish: day 9.
// Backward: launch 8–9; review 7–8; media LF 8 → LS 6, slack 4; copy LF 7 → LS 4, slack 2;
// design LS 2, slack 0; brief LF min(4, 2, 6) = 2, slack 0. Critical: brief → design → review → launch.
const LAUNCH: TaskInput[] = [
  { id: 'brief', name: '创意简报', owner: '王芳', department: 'marketing', start: '2026-03-01', end: '2026-03-02' },
  { id: 'copy', name: '文案', owner: '李雷', department: 'marketing', start: '2026-03-03', end: '2026-03-05', dependsOn: ['brief'] },
  { id: 'design', name: '主视觉设计', owner: '韩梅梅', department: 'product', start: '2026-03-03', end: '2026-03-07', dependsOn: ['brief'] },
  { id: 'media', name: '媒介排期', owner: '张伟', department: 'marketing', start: '2026-03-03', end: '2026-03-04', dependsOn: ['brief'] },
  { id: 'review', name: '合规审核', owner: '赵敏', department: 'service', start: '2026-03-08', end: '2026-03-08', dependsOn: ['copy', 'design'] },
  { id: 'launch', name: '上线', owner: '王芳', department: 'marketing', start: '2026-03-09', end: '2026-03-09', dependsOn: ['review', 'media'], deliverables: [{ kind: 'variant', ref: 'var_1', title: '小红书笔记' }] },
]

describe('scheduleTasks (critical path method)', () => {
  it('computes earliest and latest starts, slack and the critical path of a hand-made plan', () => {
    const outcome = scheduleTasks(plan(LAUNCH), TZ)
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems))
    const s = outcome.schedule
    const by = (id: string) => s.tasks.find((t) => t.id === id)!
    expect(s.projectStart).toBe(day(1))
    expect(s.projectFinish).toBe(day(10))
    expect([by('brief'), by('copy'), by('design'), by('media'), by('review'), by('launch')].map((t) => [t.id, t.durationDays, t.slackDays])).toEqual([
      ['brief', 2, 0],
      ['copy', 3, 2],
      ['design', 5, 0],
      ['media', 2, 4],
      ['review', 1, 0],
      ['launch', 1, 0],
    ])
    expect(by('copy')).toMatchObject({ earliestStart: day(3), earliestFinish: day(6), latestStart: day(5), latestFinish: day(8), critical: false })
    expect(by('media')).toMatchObject({ earliestStart: day(3), latestStart: day(7) })
    expect(s.criticalPath).toEqual(['brief', 'design', 'review', 'launch'])
    expect(s.criticalTasks).toEqual(['brief', 'design', 'review', 'launch'])
    expect(s.conflicts).toEqual([])
    expect(s.gantt.links).toContainEqual({ from: 'design', to: 'review', type: 'finish-to-start' })
    expect(s.gantt.rows[0]).toMatchObject({ id: 'brief', start: day(1), end: day(3), critical: true })
  })

  it('finds an owner on two tasks at once and a task starting before its dependency ends', () => {
    const tasks = LAUNCH.map((t) => (t.id === 'copy' ? { ...t, owner: '韩梅梅' } : t.id === 'media' ? { ...t, start: '2026-03-02', end: '2026-03-03' } : t))
    const outcome = scheduleTasks(plan(tasks), TZ)
    if (!outcome.ok) throw new Error('plan refused')
    const conflicts = outcome.schedule.conflicts
    expect(conflicts).toHaveLength(2)
    expect(conflicts[0]).toMatchObject({ kind: 'owner-double-booked', owner: '韩梅梅', tasks: ['copy', 'design'], from: day(3), to: day(6) })
    expect(conflicts[1]).toMatchObject({ kind: 'dependency-overlap', task: 'media', dependency: 'brief', overlapDays: 1 })
    expect(conflicts[1]!.message).toContain('before "brief"')
  })

  it('refuses a cyclic plan, naming the tasks around the circle', () => {
    const tasks = LAUNCH.map((t) => (t.id === 'brief' ? { ...t, dependsOn: ['launch'] } : t))
    const outcome = scheduleTasks(plan(tasks), TZ)
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.problems).toHaveLength(1)
    expect(outcome.problems[0]!.code).toBe('task.cyclic-dependency')
    expect(outcome.problems[0]!.message).toBe('tasks depend on each other in a circle: brief → copy → review → launch → brief (design, media are caught in it too)')
    expect(outcome.problems[0]!.subjects).toEqual(['brief', 'copy', 'design', 'media', 'review', 'launch'])
  })

  it('refuses a task that depends on itself, ends before it starts, or waits for an unknown task', () => {
    const outcome = scheduleTasks(
      plan([
        { id: 'a', name: 'A', owner: 'x', department: 'it', start: '2026-03-05', end: '2026-03-02' },
        { id: 'b', name: 'B', owner: 'x', department: 'it', start: '2026-03-01', end: '2026-03-02', dependsOn: ['b'] },
        { id: 'c', name: 'C', owner: 'x', department: 'it', start: '2026-03-01', end: 'soon', dependsOn: ['zzz'] },
        { id: 'c', name: 'C again', owner: 'x', department: 'it', start: '2026-03-01', end: '2026-03-01' },
      ]),
      TZ,
    )
    if (outcome.ok) throw new Error('bad plan accepted')
    const messages = outcome.problems.map((p) => p.message)
    expect(messages).toContain('two tasks have the id "c"')
    expect(messages.some((m) => m.startsWith('task "a" (A) ends') && m.includes('before it starts'))).toBe(true)
    expect(messages).toContain('tasks depend on each other in a circle: b → b')
    expect(messages).toContain('task "c" (C) depends on "zzz", which is not a task of the plan')
    expect(messages.some((m) => m.includes('end "soon" is not a date'))).toBe(true)
  })

  it('treats a zero-length task as a milestone that never double-books its owner', () => {
    const outcome = scheduleTasks(
      plan([
        { id: 'work', name: 'Work', owner: 'x', department: 'it', start: '2026-03-01T09:00', end: '2026-03-01T18:00' },
        { id: 'gate', name: 'Gate', owner: 'x', department: 'it', start: '2026-03-01T12:00', end: '2026-03-01T12:00' },
      ]),
      TZ,
    )
    if (!outcome.ok) throw new Error('refused')
    expect(outcome.schedule.conflicts).toEqual([])
    expect(outcome.schedule.tasks[1]!.durationDays).toBe(0)
  })
})
