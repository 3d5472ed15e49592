package io.per4m.jupyter.messages;

import java.util.List;

/** IOPub "error": the exception a cell raised, its traceback as the kernel formatted it (with ANSI colours). */
public record ExecuteError(String ename, String evalue, List<String> traceback) implements Content {
}
