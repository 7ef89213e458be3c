// Ids we make are UUIDs; anything else a client sends as one is refused before it reaches SQL
// (a uuid column rejects it with an error, not an empty answer).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (s: string): boolean => UUID.test(s);
