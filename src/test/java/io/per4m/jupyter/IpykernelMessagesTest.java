package io.per4m.jupyter;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.per4m.jupyter.messages.ClearOutput;
import io.per4m.jupyter.messages.Content;
import io.per4m.jupyter.messages.DisplayData;
import io.per4m.jupyter.messages.ExecuteError;
import io.per4m.jupyter.messages.ExecuteReply;
import io.per4m.jupyter.messages.ExecuteRequest;
import io.per4m.jupyter.messages.ExecuteResult;
import io.per4m.jupyter.messages.InterruptRequest;
import io.per4m.jupyter.messages.KernelInfoReply;
import io.per4m.jupyter.messages.KernelInfoRequest;
import io.per4m.jupyter.messages.Message;
import io.per4m.jupyter.messages.MessageJson;
import io.per4m.jupyter.messages.MessageType;
import io.per4m.jupyter.messages.ShutdownReply;
import io.per4m.jupyter.messages.ShutdownRequest;
import io.per4m.jupyter.messages.Status;
import io.per4m.jupyter.messages.Stream;
import io.per4m.jupyter.messages.UnknownContent;
import org.junit.jupiter.api.Test;
import org.zeromq.ZMsg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The typed messages against a conversation between jupyter_client and a real ipykernel, captured frame by frame
 * (fixtures/README-jupyter.md); a live kernel runs in {@link KernelClientTest}.
 */
class IpykernelMessagesTest {
    /** Fields the kernel sends that the records do not model: dropped on the way through, and only these. */
    private static final Map<String, Set<String>> UNMODELLED_FIELDS = Map.of(
            "execute_reply", Set.of("engine_info"),          // ipykernel's own addition to an error reply
            "kernel_info_reply", Set.of("supported_features"));

    private record Captured(String channel, String signature, byte[][] parts) {
        String part(int i) {
            return new String(parts[i], StandardCharsets.UTF_8);
        }

        String type() {
            return JsonParser.parseString(part(0)).getAsJsonObject().get("msg_type").getAsString();
        }

        ZMsg frames() {
            ZMsg frames = new ZMsg();
            frames.add("<IDS|MSG>");
            frames.add(signature);
            for (byte[] part : parts) {
                frames.add(part);
            }
            return frames;
        }
    }

    private static final JsonObject FIXTURE = load();
    private static final List<Captured> CAPTURED = captured();
    private final WireCodec codec = new WireCodec(FIXTURE.get("key").getAsString());
    private final MessageJson json = new MessageJson();

    private static JsonObject load() {
        try (InputStream in = IpykernelMessagesTest.class.getResourceAsStream("/fixtures/jupyter-ipykernel-messages.json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Captured> captured() {
        List<Captured> all = new ArrayList<>();
        for (JsonElement element : FIXTURE.getAsJsonArray("messages")) {
            JsonArray frames = element.getAsJsonObject().getAsJsonArray("frames");
            byte[][] parts = new byte[4][];
            for (int i = 0; i < 4; i++) {
                parts[i] = frames.get(i + 1).getAsString().getBytes(StandardCharsets.UTF_8);
            }
            all.add(new Captured(element.getAsJsonObject().get("channel").getAsString(), frames.get(0).getAsString(), parts));
        }
        return all;
    }

    private List<Message> decoded(String type) {
        return CAPTURED.stream().filter(c -> c.type().equals(type)).map(c -> codec.decode(c.frames())).toList();
    }

    @Test
    void everyCapturedMessageIsAcceptedAndReadIntoTheRecordOfItsType() {
        Set<MessageType> seen = EnumSet.noneOf(MessageType.class);
        for (Captured captured : CAPTURED) {
            Message message = codec.decode(captured.frames()); // throws on a signature that does not match
            assertEquals(captured.type(), message.type());
            Class<? extends Content> expected = MessageType.named(captured.type())
                    .<Class<? extends Content>>map(MessageType::contentClass).orElse(UnknownContent.class);
            assertInstanceOf(expected, message.content(), captured.type());
            MessageType.named(captured.type()).ifPresent(seen::add);
        }
        assertEquals(EnumSet.allOf(MessageType.class), seen, "the capture holds every modelled type");
    }

    @Test
    void everyCapturedMessageRoundTripsToTheKernelsJsonLessOnlyTheUnmodelledFields() {
        for (Captured captured : CAPTURED) {
            byte[][] again = json.parts(codec.decode(captured.frames()));
            String type = captured.type();
            for (int i = 0; i < 4; i++) {
                JsonObject original = JsonParser.parseString(captured.part(i)).getAsJsonObject();
                if (i == 3) {
                    UNMODELLED_FIELDS.getOrDefault(type, Set.of()).forEach(original::remove);
                }
                assertEquals(original, JsonParser.parseString(new String(again[i], StandardCharsets.UTF_8)),
                        type + " part " + i);
            }
        }
        assertTrue(UNMODELLED_FIELDS.entrySet().stream().allMatch(e -> CAPTURED.stream()
                        .anyMatch(c -> c.type().equals(e.getKey()) && e.getValue().stream().allMatch(
                                f -> JsonParser.parseString(c.part(3)).getAsJsonObject().has(f)))),
                "each field listed as unmodelled is really in the capture");
    }

    @Test
    void ourRequestsCarryTheContentJupyterClientGivesThem() {
        Map<String, JsonObject> theirs = CAPTURED.stream().filter(c -> c.type().endsWith("_request"))
                .collect(Collectors.toMap(Captured::type, c -> JsonParser.parseString(c.part(3)).getAsJsonObject(),
                        (first, later) -> first));
        JsonObject execute = theirs.get("execute_request");
        assertEquals(execute, json.tree(ExecuteRequest.cell(execute.get("code").getAsString())));
        assertEquals(theirs.get("kernel_info_request"), json.tree(new KernelInfoRequest()));
        assertEquals(theirs.get("interrupt_request"), json.tree(new InterruptRequest()));
        assertEquals(theirs.get("shutdown_request"), json.tree(new ShutdownRequest(false)));
    }

    @Test
    void theFieldsReadAreTheOnesTheKernelSent() {
        Stream stdout = decoded("stream").get(0).content(Stream.class).orElseThrow();
        assertEquals(new Stream("stdout", "hello\n"), stdout);
        assertEquals(new Stream("stderr", "to stderr\n"), decoded("stream").get(1).content());
        ExecuteResult result = decoded("execute_result").get(0).content(ExecuteResult.class).orElseThrow();
        assertEquals("42", result.data().get("text/plain").getAsString());
        assertEquals(1, result.executionCount());
        ExecuteError error = decoded("error").get(0).content(ExecuteError.class).orElseThrow();
        assertEquals("ZeroDivisionError", error.ename());
        assertEquals("division by zero", error.evalue());
        assertTrue(error.traceback().get(error.traceback().size() - 1).contains("division by zero"));
        List<ExecuteReply> replies = decoded("execute_reply").stream()
                .map(m -> m.content(ExecuteReply.class).orElseThrow()).toList();
        assertEquals(List.of("ok", "ok", "ok", "error"), replies.stream().map(ExecuteReply::status).toList());
        assertEquals(List.of(1, 2, 3, 4), replies.stream().map(ExecuteReply::executionCount).toList());
        assertEquals("ZeroDivisionError", replies.get(3).ename());
        assertNull(replies.get(0).ename());
        assertEquals(List.of("busy", "idle"), decoded("status").stream().limit(2)
                .map(m -> m.content(Status.class).orElseThrow().executionState()).toList());
        assertEquals(new ClearOutput(false), decoded("clear_output").get(0).content());
        KernelInfoReply info = decoded("kernel_info_reply").get(0).content(KernelInfoReply.class).orElseThrow();
        assertEquals("ipython", info.implementation());
        assertEquals("python", info.languageInfo().get("name").getAsString());
        assertEquals(new ShutdownReply("ok", false), decoded("shutdown_reply").get(0).content());
        DisplayData shown = decoded("display_data").get(1).content(DisplayData.class).orElseThrow();
        assertEquals(JsonParser.parseString("{\"n\": 1}"), shown.data().get("application/json"));
    }

    @Test
    void repliesNameTheRequestTheyAnswerAndRequestsNameNone() {
        Message request = decoded("execute_request").get(0);
        assertEquals("", request.parentId());
        assertNull(request.parentHeader());
        Message reply = decoded("execute_reply").get(0);
        assertEquals(request.id(), reply.parentId());
        assertEquals("execute_request", reply.parentHeader().msgType());
    }

    @Test
    void aClearOutputRemovesTheOutputsBeforeIt() {
        Message secondCell = decoded("execute_request").get(1);
        JsonArray outputs = new JsonArray();
        CAPTURED.stream().filter(c -> c.channel().equals("iopub")).map(c -> codec.decode(c.frames()))
                .filter(m -> m.parentId().equals(secondCell.id()))
                .forEach(m -> NotebookOutputs.append(outputs, m.content()));
        assertEquals(1, outputs.size(), outputs.toString());
        JsonObject output = outputs.get(0).getAsJsonObject();
        assertEquals("display_data", output.get("output_type").getAsString());
        assertEquals("shown", output.getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void unknownTypesAndFieldsAreTolerated() {
        Message input = decoded("execute_input").get(0); // the kernel sends it; we do not model it
        UnknownContent unknown = input.content(UnknownContent.class).orElseThrow();
        assertEquals("answer = 6 * 7\nprint('hello')\nanswer", unknown.json().get("code").getAsString());

        JsonObject header = JsonParser.parseString("{\"msg_id\": \"a\", \"msg_type\": \"stream\", "
                + "\"subshell_id\": null, \"some_future_field\": [1]}").getAsJsonObject();
        JsonObject content = JsonParser.parseString("{\"name\": \"stdout\", \"text\": \"x\", \"origin\": {}}")
                .getAsJsonObject();
        Message message = json.message(parts(header, new JsonObject(), new JsonObject(), content));
        assertEquals(new Stream("stdout", "x"), message.content());
        assertEquals("a", message.id());

        JsonObject misshapen = JsonParser.parseString("{\"name\": \"stdout\", \"text\": {\"not\": \"text\"}}")
                .getAsJsonObject();
        assertEquals(new UnknownContent(misshapen),
                json.message(parts(header, new JsonObject(), new JsonObject(), misshapen)).content());
    }

    @Test
    void aChangedPartBreaksTheSignature() {
        Captured stream = CAPTURED.stream().filter(c -> c.type().equals("stream")).findFirst().orElseThrow();
        byte[][] parts = stream.parts().clone();
        parts[3] = stream.part(3).replace("hello", "HELLO").getBytes(StandardCharsets.UTF_8);
        Captured changed = new Captured(stream.channel(), stream.signature(), parts);
        assertThrows(IllegalStateException.class, () -> codec.decode(changed.frames()));
    }

    private static byte[][] parts(JsonObject... objects) {
        byte[][] parts = new byte[objects.length][];
        for (int i = 0; i < objects.length; i++) {
            parts[i] = objects[i].toString().getBytes(StandardCharsets.UTF_8);
        }
        return parts;
    }
}
