/**
 * A person's colour in a room's presence (cursor and name tag), derived from their id on the
 * server: the same person has the same colour on every screen, and a client cannot pick someone
 * else's. The rule lives in shared (the editor's own caret and the 修订 view use the same colours).
 */
export { presenceColor } from '../../shared/domain/presenceColor';
