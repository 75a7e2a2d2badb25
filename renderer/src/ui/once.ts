import { useRef } from 'react';

/**
 * One submission at a time from a button or form. React Query's `isPending` disables a button only once the
 * mutation's state reaches a render, a task after the click; a double click's second click (or Enter pressed twice)
 * arrives before that and sent the call again: a rule set published twice, an operator enrolled and then refused as
 * "already enrolled". The guard is released when the submission settles, so a refused one can be sent again.
 */
export function onceAtATime(): (submit: () => Promise<unknown>) => boolean {
  let busy = false;
  return (submit) => {
    if (busy) return false;
    busy = true;
    let running: Promise<unknown>;
    try {
      running = submit();
    } catch (err) {
      busy = false;
      throw err;
    }
    // The mutation's own onError reports a refusal; here it only releases the guard.
    void running.then(
      () => (busy = false),
      () => (busy = false),
    );
    return true;
  };
}

/** onceAtATime() kept for the component's life. */
export function useOnceAtATime(): (submit: () => Promise<unknown>) => boolean {
  const guard = useRef<ReturnType<typeof onceAtATime> | null>(null);
  guard.current ??= onceAtATime();
  return guard.current;
}
