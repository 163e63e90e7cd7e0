/**
 * CPU per thread of another process (Linux, /proc/<pid>/task), sampled while a benchmark runs, so
 * that a phase's CPU can be split by thread: the API (main) thread, the batch thread, the answer
 * threads, V8's helper threads (garbage collection) and the rest.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadSample {
  /** performance.now() of this process when the sample was taken */
  readonly at: number;
  /** CPU seconds (user + system) so far, by thread group */
  readonly seconds: Readonly<Record<ThreadGroup, number>>;
}

export type ThreadGroup = 'api' | 'batch' | 'answer' | 'gc' | 'other';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function group(name: string): ThreadGroup {
  if (name === 'MainThread' || name === 'node') return 'api';
  if (name === 'onshi-batch') return 'batch';
  if (name === 'onshi-answer') return 'answer';
  if (name.startsWith('V8Worker') || name.startsWith('V8 DefaultWorke')) return 'gc';
  return 'other';
}

/** One sample of every thread of `pid`; undefined when the process is gone or /proc is missing. */
export function sampleThreads(pid: number): ThreadSample | undefined {
  const seconds: Record<ThreadGroup, number> = { api: 0, batch: 0, answer: 0, gc: 0, other: 0 };
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  for (const tid of tasks) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name in parentheses: state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds[group(name)] += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { at: performance.now(), seconds };
}

/** Samples `pid` every `everyMs` until `stop()`; resolves to the samples. */
export function sampleThreadsEvery(pid: number, everyMs: number): { stop(): ThreadSample[] } {
  const samples: ThreadSample[] = [];
  const take = () => {
    const s = sampleThreads(pid);
    if (s !== undefined) samples.push(s);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** CPU seconds by group between the samples nearest to `from` and `to`, and the wall time between them. */
export function cpuBetween(
  samples: readonly ThreadSample[],
  from: number,
  to: number,
): { seconds: Record<ThreadGroup, number>; wallSeconds: number } | undefined {
  const nearest = (t: number) =>
    samples.reduce<ThreadSample | undefined>(
      (best, s) => (best === undefined || Math.abs(s.at - t) < Math.abs(best.at - t) ? s : best),
      undefined,
    );
  const a = nearest(from);
  const b = nearest(to);
  if (a === undefined || b === undefined || b.at <= a.at) return undefined;
  const seconds = { api: 0, batch: 0, answer: 0, gc: 0, other: 0 };
  for (const key of Object.keys(seconds) as ThreadGroup[]) seconds[key] = b.seconds[key] - a.seconds[key];
  return { seconds, wallSeconds: (b.at - a.at) / 1000 };
}
