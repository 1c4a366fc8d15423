import { useSyncExternalStore } from 'react';

/**
 * The subscription the IDE is running, as the network view follows it. The
 * fetcher passes a subscription's events through `follow` on their way to
 * GraphiQL's response pane; the view listens with `onLiveData` and merges each
 * event's data into the drawn network (graph/extract.ts's `mergeEvent`).
 * GraphiQL runs one operation at a time, so one subscription is followed at a time.
 */

export interface LiveState {
  /** True from the start of a subscription until it ends or is stopped. */
  following: boolean;
  /** Events received since it started. */
  events: number;
}

let state: LiveState = { following: false, events: 0 };
/** Which subscription is the current one: a stopped one's late events are not followed. */
let current = 0;
const stateListeners = new Set<() => void>();
const dataListeners = new Set<(data: unknown) => void>();

function setState(next: LiveState) {
  state = next;
  for (const listener of stateListeners) listener();
}

/**
 * Follows a subscription's events: the same events, in order, each also handed
 * to the network view. Returning (GraphiQL's stop button) or the stream's end
 * stops following. Returns an iterator that is its own iterable: GraphiQL stops
 * a subscription by asking the iterable for its iterator again and returning it.
 */
export function follow<T extends { data?: unknown }>(events: AsyncIterator<T>): AsyncIterableIterator<T> {
  const run = ++current;
  setState({ following: true, events: 0 });
  const stop = () => {
    if (run === current && state.following) setState({ ...state, following: false });
  };
  const followed: AsyncIterableIterator<T> = {
    async next() {
      let step: IteratorResult<T>;
      try {
        step = await events.next();
      } catch (error) {
        stop();
        throw error;
      }
      if (step.done) stop();
      else if (run === current && state.following) {
        setState({ following: true, events: state.events + 1 });
        if (step.value.data) for (const listener of dataListeners) listener(step.value.data);
      }
      return step;
    },
    async return() {
      stop();
      return (await events.return?.()) ?? { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => followed,
  };
  return followed;
}

/** Calls `listener` with the data of each event of the followed subscription; returns the way to stop listening. */
export function onLiveData(listener: (data: unknown) => void): () => void {
  dataListeners.add(listener);
  return () => dataListeners.delete(listener);
}

/** Whether a subscription is being followed, and how many events it brought: re-renders on each change. */
export function useLive(): LiveState {
  return useSyncExternalStore(
    (onChange) => {
      stateListeners.add(onChange);
      return () => stateListeners.delete(onChange);
    },
    () => state,
  );
}

/** The same, read once (outside React). */
export function liveState(): LiveState {
  return state;
}
