/**
 * The scheduling priority of the calling thread. Linux schedules threads, and `setpriority` on a
 * thread id (from /proc/thread-self) changes that thread only — the batch thread and the answer
 * threads lower their own so that the API thread gets the CPU first on a busy machine.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export interface ThreadPriority {
  /** Sets this thread's nice value; false when it cannot (no thread id, or not permitted). */
  set(nice: number): boolean;
}

/** The priority of the calling thread, or undefined where threads have no id of their own to use. */
export function threadPriority(): ThreadPriority | undefined {
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(tid)) return undefined;
  return {
    set(nice) {
      try {
        setPriority(tid, nice);
        return true;
      } catch {
        return false;
      }
    },
  };
}
