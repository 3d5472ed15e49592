package io.per4m.jupyter.messages;

import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;

/** shell: run {@code code}. */
public record ExecuteRequest(String code,
                             boolean silent,
                             @SerializedName("store_history") boolean storeHistory,
                             @SerializedName("user_expressions") JsonObject userExpressions,
                             @SerializedName("allow_stdin") boolean allowStdin,
                             @SerializedName("stop_on_error") boolean stopOnError) implements Content {
    /** A cell run as a notebook runs it: counted in the history, no input() prompts, later cells aborted on error. */
    public static ExecuteRequest cell(String code) {
        return new ExecuteRequest(code, false, true, new JsonObject(), false, true);
    }
}
