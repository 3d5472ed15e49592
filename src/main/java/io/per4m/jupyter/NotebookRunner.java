package io.per4m.jupyter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.per4m.files.OutputFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Executes the code cells of a notebook in order in one kernel and stores their outputs. */
public final class NotebookRunner {
    private final Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private final Duration cellTimeout;

    public NotebookRunner(Duration cellTimeout) {
        this.cellTimeout = cellTimeout;
    }

    /** Jupyter's tag (nbclient, nbval, Jupyter Book) for a cell that shows an error on purpose. */
    static final String RAISES_EXCEPTION = "raises-exception";

    /**
     * One executed cell: its index among the code cells, what it produced, and whether it is tagged
     * {@value #RAISES_EXCEPTION}.
     */
    public record ExecutedCell(int index, String source, CellOutcome outcome, boolean raisesException) {
        /** Failed, and not on purpose. */
        public boolean failed() {
            return !outcome.ok() && !raisesException;
        }
    }

    public record Result(JsonObject notebook, List<ExecutedCell> cells) {
        public boolean ok() {
            return cells.stream().noneMatch(ExecutedCell::failed);
        }
    }

    public JsonObject read(Path notebook) throws IOException {
        try {
            JsonObject nb = gson.fromJson(Files.readString(notebook), JsonObject.class);
            if (nb == null || !nb.has("cells")) {
                throw new IOException(notebook + " is not a notebook (no \"cells\"): give an .ipynb file");
            }
            return nb;
        } catch (JsonParseException e) {
            throw new IOException(notebook + " is not valid JSON: give an .ipynb file");
        }
    }

    /**
     * Runs every code cell; stops at the first cell whose execution fails (unless it is tagged
     * {@value #RAISES_EXCEPTION}) unless {@code keepGoing}.
     */
    public Result run(JsonObject notebook, KernelClient kernel, boolean keepGoing) throws IOException {
        List<ExecutedCell> executed = new ArrayList<>();
        int index = 0;
        for (JsonElement element : notebook.getAsJsonArray("cells")) {
            JsonObject cell = element.getAsJsonObject();
            if (!"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            String source = source(cell.get("source"));
            CellOutcome outcome = kernel.execute(source, cellTimeout);
            cell.add("outputs", outcome.outputs());
            cell.addProperty("execution_count", outcome.executionCount());
            ExecutedCell done = new ExecutedCell(index++, source, outcome, tagged(cell, RAISES_EXCEPTION));
            executed.add(done);
            if (done.failed() && !keepGoing) {
                break;
            }
        }
        return new Result(notebook, executed);
    }

    public void write(JsonObject notebook, Path out) throws IOException {
        String json = gson.toJson(notebook) + "\n";
        OutputFile.of(out).write(text -> text.write(json));
    }

    private static boolean tagged(JsonObject cell, String tag) {
        if (!cell.has("metadata") || !cell.getAsJsonObject("metadata").has("tags")) {
            return false;
        }
        for (JsonElement t : cell.getAsJsonObject("metadata").getAsJsonArray("tags")) {
            if (tag.equals(t.getAsString())) {
                return true;
            }
        }
        return false;
    }

    private static String source(JsonElement source) {
        if (source.isJsonArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonElement line : (JsonArray) source) {
                text.append(line.getAsString());
            }
            return text.toString();
        }
        return source.getAsString();
    }
}
