/** A request the floor refuses, with the GraphQL error code the hub gives for it. */
export class FloorError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
