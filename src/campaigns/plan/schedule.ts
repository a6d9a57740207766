import type { PlanProblem } from './strategy-check.ts'
import type { Task } from './schema.ts'
import { days, iso, parseInstant } from './time.ts'

/**
 * The execution plan as a schedule: tasks checked (ids unique, dates valid, end not before start,
 * dependencies known and acyclic — a plan that fails is refused with every problem named), then
 * the critical path method (Kelley & Walker, "Critical-path planning and scheduling", 1959):
 *
 *   forward pass   ES = max(project start, EF of every dependency),  EF = ES + duration
 *   backward pass  LF = min(LS of every dependant, or the project finish),  LS = LF − duration
 *   slack = LS − ES;  a task with no slack is critical; the project finish is the largest EF.
 *
 * Durations are the planned ones (end − start); the project starts at the earliest planned start.
 * Dependencies are finish-to-start. Conflicts are reported, not refused: an owner on two tasks at
 * once, and a task planned to start before a task it depends on ends.
 */

export interface ScheduledTask extends Task {
  /** Planned, as instants. */
  startAt: string
  endAt: string
  durationDays: number
  earliestStart: string
  earliestFinish: string
  latestStart: string
  latestFinish: string
  slackDays: number
  critical: boolean
  ms: { start: number; end: number; es: number; ef: number; ls: number; lf: number; slack: number }
}

export type Conflict =
  | { kind: 'owner-double-booked'; owner: string; tasks: [string, string]; from: string; to: string; message: string }
  | { kind: 'dependency-overlap'; task: string; dependency: string; overlapDays: number; message: string }

export interface GanttData {
  range: { start: string; end: string }
  rows: Array<{ id: string; name: string; owner: string; department: string; start: string; end: string; critical: boolean; slackDays: number; dependsOn: string[]; deliverables: number }>
  links: Array<{ from: string; to: string; type: 'finish-to-start' }>
}

export interface Schedule {
  tasks: ScheduledTask[]
  projectStart: string | null
  projectFinish: string | null
  /** One chain of critical tasks from the project start to its finish, in order. */
  criticalPath: string[]
  /** Every task with no slack. */
  criticalTasks: string[]
  conflicts: Conflict[]
  gantt: GanttData
}

export type ScheduleOutcome = { ok: true; schedule: Schedule } | { ok: false; problems: PlanProblem[] }

/**
 * @example
 * const outcome = scheduleTasks([
 *   { id: 'brief', name: 'Brief', owner: '王芳', department: 'marketing', start: '2026-03-01', end: '2026-03-02', dependsOn: [], deliverables: [] },
 *   { id: 'copy', name: 'Copy', owner: '李雷', department: 'marketing', start: '2026-03-03', end: '2026-03-05', dependsOn: ['brief'], deliverables: [] },
 * ], 'Asia/Shanghai')
 * outcome.ok && outcome.schedule.criticalPath // ['brief', 'copy']
 */
export function scheduleTasks(tasks: readonly Task[], timeZone: string): ScheduleOutcome {
  const problems: PlanProblem[] = []
  const byId = new Map<string, Task>()
  for (const task of tasks) {
    if (byId.has(task.id)) problems.push({ code: 'task.duplicate-id', message: `two tasks have the id "${task.id}"`, subjects: [task.id] })
    byId.set(task.id, task)
  }
  const times = new Map<string, { start: number; end: number }>()
  for (const task of tasks) {
    const start = parseInstant(task.start, timeZone, 'start')
    const end = parseInstant(task.end, timeZone, 'end')
    if (start === null) problems.push({ code: 'task.bad-date', message: `task "${task.id}" (${task.name}): start "${task.start}" is not a date (YYYY-MM-DD) or an ISO instant`, subjects: [task.id] })
    if (end === null) problems.push({ code: 'task.bad-date', message: `task "${task.id}" (${task.name}): end "${task.end}" is not a date (YYYY-MM-DD) or an ISO instant`, subjects: [task.id] })
    if (start !== null && end !== null) {
      if (end < start) problems.push({ code: 'task.ends-before-start', message: `task "${task.id}" (${task.name}) ends (${iso(end)}) before it starts (${iso(start)})`, subjects: [task.id] })
      times.set(task.id, { start, end })
    }
    for (const dep of task.dependsOn) {
      if (!byId.has(dep)) {
        problems.push({ code: 'task.unknown-dependency', message: `task "${task.id}" (${task.name}) depends on "${dep}", which is not a task of the plan`, subjects: [task.id, dep] })
      }
    }
  }
  for (const { cycle, members } of findCycles(tasks)) {
    const others = members.filter((m) => !cycle.includes(m))
    problems.push({
      code: 'task.cyclic-dependency',
      message: `tasks depend on each other in a circle: ${[...cycle, cycle[0]].join(' → ')}${others.length > 0 ? ` (${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} caught in it too)` : ''}`,
      subjects: members,
    })
  }
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, schedule: criticalPathSchedule(tasks, times) }
}

/**
 * Each knot of circular dependencies once (Tarjan's strongly connected components): one circle
 * through it as the task ids along it, and every task caught in the knot, in plan order.
 */
export function findCycles(tasks: readonly Task[]): Array<{ cycle: string[]; members: string[] }> {
  const ids = new Set(tasks.map((t) => t.id))
  const deps = new Map(tasks.map((t) => [t.id, t.dependsOn.filter((d) => ids.has(d))]))
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const visit = (v: string) => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of deps.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      components.push(component)
    }
  }
  for (const task of tasks) if (!index.has(task.id)) visit(task.id)
  const cycles: Array<{ cycle: string[]; members: string[] }> = []
  for (const component of components) {
    const members = new Set(component)
    const first = tasks.find((t) => members.has(t.id))!.id
    if (component.length === 1 && !(deps.get(first) ?? []).includes(first)) continue
    cycles.push({ cycle: cycleThrough(first, members, deps), members: tasks.filter((t) => members.has(t.id)).map((t) => t.id) })
  }
  return cycles
}

/** A path from `start` back to itself inside one strongly connected component (it exists by definition). */
function cycleThrough(start: string, members: Set<string>, deps: Map<string, string[]>): string[] {
  const path: string[] = [start]
  const seen = new Set<string>([start])
  const walk = (v: string): boolean => {
    for (const w of deps.get(v) ?? []) {
      if (w === start) return true
      if (!members.has(w) || seen.has(w)) continue
      seen.add(w)
      path.push(w)
      if (walk(w)) return true
      path.pop()
    }
    return false
  }
  walk(start)
  // Dependencies point from a task to what it waits for; read the circle in the order work flows.
  return [path[0]!, ...path.slice(1).reverse()]
}

function criticalPathSchedule(tasks: readonly Task[], times: Map<string, { start: number; end: number }>): Schedule {
  if (tasks.length === 0) return { tasks: [], projectStart: null, projectFinish: null, criticalPath: [], criticalTasks: [], conflicts: [], gantt: { range: { start: '', end: '' }, rows: [], links: [] } }
  const order = topologicalOrder(tasks)
  const duration = new Map(tasks.map((t) => [t.id, times.get(t.id)!.end - times.get(t.id)!.start]))
  const projectStart = Math.min(...tasks.map((t) => times.get(t.id)!.start))
  const es = new Map<string, number>()
  const ef = new Map<string, number>()
  for (const id of order) {
    const task = tasks.find((t) => t.id === id)!
    const start = Math.max(projectStart, ...task.dependsOn.map((d) => ef.get(d)!))
    es.set(id, start)
    ef.set(id, start + duration.get(id)!)
  }
  const projectFinish = Math.max(...ef.values())
  const successors = new Map<string, string[]>(tasks.map((t) => [t.id, []]))
  for (const task of tasks) for (const dep of task.dependsOn) successors.get(dep)!.push(task.id)
  const ls = new Map<string, number>()
  const lf = new Map<string, number>()
  for (const id of [...order].reverse()) {
    const finish = Math.min(projectFinish, ...successors.get(id)!.map((s) => ls.get(s)!))
    lf.set(id, finish)
    ls.set(id, finish - duration.get(id)!)
  }
  const scheduled: ScheduledTask[] = tasks.map((task) => {
    const t = times.get(task.id)!
    const slack = ls.get(task.id)! - es.get(task.id)!
    return {
      ...task,
      startAt: iso(t.start),
      endAt: iso(t.end),
      durationDays: days(duration.get(task.id)!),
      earliestStart: iso(es.get(task.id)!),
      earliestFinish: iso(ef.get(task.id)!),
      latestStart: iso(ls.get(task.id)!),
      latestFinish: iso(lf.get(task.id)!),
      slackDays: days(slack),
      critical: slack === 0,
      ms: { start: t.start, end: t.end, es: es.get(task.id)!, ef: ef.get(task.id)!, ls: ls.get(task.id)!, lf: lf.get(task.id)!, slack },
    }
  })
  const critical = new Set(scheduled.filter((t) => t.critical).map((t) => t.id))
  const chain = (id: string): string[] => {
    const next = successors.get(id)!.filter((s) => critical.has(s) && es.get(s) === ef.get(id))
    const tails = next.map(chain)
    const longest = tails.reduce<string[]>((best, tail) => (tail.length > best.length ? tail : best), [])
    return [id, ...longest]
  }
  const heads = order.filter((id) => critical.has(id) && es.get(id) === projectStart)
  const criticalPath = heads.map(chain).reduce<string[]>((best, c) => (c.length > best.length ? c : best), [])
  return {
    tasks: scheduled,
    projectStart: iso(projectStart),
    projectFinish: iso(projectFinish),
    criticalPath,
    criticalTasks: order.filter((id) => critical.has(id)),
    conflicts: findConflicts(scheduled),
    gantt: ganttOf(scheduled),
  }
}

/** Kahn's algorithm, keeping the plan's order among tasks that are ready together. */
function topologicalOrder(tasks: readonly Task[]): string[] {
  const remaining = new Map(tasks.map((t) => [t.id, t.dependsOn.length]))
  const out: string[] = []
  while (out.length < tasks.length) {
    const ready = tasks.filter((t) => remaining.get(t.id) === 0 && !out.includes(t.id))
    if (ready.length === 0) throw new Error('topologicalOrder: cycle left after validation')
    for (const task of ready) {
      out.push(task.id)
      remaining.set(task.id, -1)
      for (const other of tasks) if (other.dependsOn.includes(task.id)) remaining.set(other.id, remaining.get(other.id)! - other.dependsOn.filter((d) => d === task.id).length)
    }
  }
  return out
}

/**
 * An owner on two tasks whose planned times overlap (zero-length milestones never clash), and a
 * task planned to start before a task it depends on has ended.
 */
export function findConflicts(tasks: readonly ScheduledTask[]): Conflict[] {
  const conflicts: Conflict[] = []
  const byOwner = new Map<string, ScheduledTask[]>()
  for (const task of tasks) {
    const key = task.owner.trim().toLowerCase()
    byOwner.set(key, [...(byOwner.get(key) ?? []), task])
  }
  for (const own of byOwner.values()) {
    const sorted = [...own].sort((a, b) => a.ms.start - b.ms.start)
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const a = sorted[i]!
        const b = sorted[j]!
        if (a.ms.end === a.ms.start || b.ms.end === b.ms.start) continue
        const from = Math.max(a.ms.start, b.ms.start)
        const to = Math.min(a.ms.end, b.ms.end)
        if (from < to) {
          conflicts.push({
            kind: 'owner-double-booked',
            owner: a.owner,
            tasks: [a.id, b.id],
            from: iso(from),
            to: iso(to),
            message: `${a.owner} is on "${a.id}" (${a.name}) and "${b.id}" (${b.name}) at the same time, from ${iso(from)} to ${iso(to)}`,
          })
        }
      }
    }
  }
  const byId = new Map(tasks.map((t) => [t.id, t]))
  for (const task of tasks) {
    for (const depId of task.dependsOn) {
      const dep = byId.get(depId)!
      if (dep.ms.end > task.ms.start) {
        conflicts.push({
          kind: 'dependency-overlap',
          task: task.id,
          dependency: dep.id,
          overlapDays: days(dep.ms.end - task.ms.start),
          message: `"${task.id}" (${task.name}) is planned to start at ${task.startAt}, before "${dep.id}" (${dep.name}), which it depends on, ends at ${dep.endAt}`,
        })
      }
    }
  }
  return conflicts
}

function ganttOf(tasks: readonly ScheduledTask[]): GanttData {
  const rows = [...tasks]
    .sort((a, b) => a.ms.start - b.ms.start || tasks.indexOf(a) - tasks.indexOf(b))
    .map((t) => ({ id: t.id, name: t.name, owner: t.owner, department: t.department, start: t.startAt, end: t.endAt, critical: t.critical, slackDays: t.slackDays, dependsOn: t.dependsOn, deliverables: t.deliverables.length }))
  return {
    range: { start: iso(Math.min(...tasks.map((t) => t.ms.start))), end: iso(Math.max(...tasks.map((t) => t.ms.end))) },
    rows,
    links: tasks.flatMap((t) => t.dependsOn.map((d) => ({ from: d, to: t.id, type: 'finish-to-start' as const }))),
  }
}
