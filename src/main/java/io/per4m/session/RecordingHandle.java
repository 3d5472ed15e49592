package io.per4m.session;

/**
 * One traced cell: the perf session it records into and the order of the cell in that session.
 *
 * @param id          unique id of this cell's recording
 * @param pid         traced process
 * @param cellIndex   1 for the first cell recorded by the session, then 2, 3, ...
 * @param firstInSession true when this call attached perf (the slow start), false when an attached session was reused
 */
public record RecordingHandle(String id, long pid, long cellIndex, boolean firstInSession) {
}
