import { v7 as uuidv7 } from 'uuid';

/** Makes ids; injected so tests and replays can be deterministic. */
export type IdSource = () => string;

/** UUIDv7: time-ordered, so the log's primary key stays append-friendly. */
export const uuidV7: IdSource = () => uuidv7();
