package io.per4m.jupyter.messages;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;

/** shell: the kernel's implementation, protocol version and language; language_info stays open (kernels add keys). */
public record KernelInfoReply(String status,
                              @SerializedName("protocol_version") String protocolVersion,
                              String implementation,
                              @SerializedName("implementation_version") String implementationVersion,
                              @SerializedName("language_info") JsonObject languageInfo,
                              String banner,
                              @SerializedName("help_links") JsonArray helpLinks) implements Content {
}
