package io.per4m.probes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.per4m.UserError;
import io.per4m.files.OutputFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What {@code per4m setup} added, so that {@code --remove} takes away exactly that: a JSON file
 * {"probes": ["p:GROUP/EVENT FILE:0xOFFSET", ...]}.
 */
public final class SetupState {
    private final Path file;

    public SetupState(Path file) {
        this.file = file;
    }

    /** /var/lib/per4m/probes.json for root, ~/.cache/per4m/probes.json otherwise. */
    public static Path defaultPath(boolean root) {
        return root ? Path.of("/var/lib/per4m/probes.json")
                : Path.of(System.getProperty("user.home"), ".cache", "per4m", "probes.json");
    }

    public Path file() {
        return file;
    }

    public List<UprobeDefinition> recorded(String group) throws IOException {
        return all().stream().filter(d -> d.group().equals(group)).toList();
    }

    /**
     * Checks that the state can be read and written, before anything is done that it must record; a corrupt file
     * or one in a place that cannot be written is one {@link UserError} line.
     */
    public void check() throws IOException {
        List<UprobeDefinition> all = all();
        Path folder = file.toAbsolutePath().getParent();
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)
                || (Files.exists(file) && !Files.isWritable(file))) {
            throw new UserError("cannot write the setup state " + file + ": give a writable path with --state");
        }
        save(all);
    }

    public void record(List<UprobeDefinition> added) throws IOException {
        List<UprobeDefinition> all = new ArrayList<>(all());
        for (UprobeDefinition d : added) {
            if (!all.contains(d)) {
                all.add(d);
            }
        }
        save(all);
    }

    public void forget(String group, Collection<String> events) throws IOException {
        List<UprobeDefinition> all = new ArrayList<>(all());
        if (all.removeIf(d -> d.group().equals(group) && events.contains(d.event()))) {
            save(all);
        }
    }

    private List<UprobeDefinition> all() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new UserError("the setup state " + file + " is not valid JSON: fix or delete it (it lists the probes"
                    + " 'per4m setup --remove' removes; 'perf probe -l' shows them), or give another --state");
        }
        if (root == null || !root.path("probes").isArray()) {
            throw new UserError("the setup state " + file + " has no \"probes\" list: fix or delete it (it lists the"
                    + " probes 'per4m setup --remove' removes; 'perf probe -l' shows them), or give another --state");
        }
        List<UprobeDefinition> out = new ArrayList<>();
        for (JsonNode line : root.path("probes")) {
            UprobeDefinition.parse(line.asText()).ifPresent(out::add);
        }
        return out;
    }

    private void save(List<UprobeDefinition> all) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        ArrayNode probes = root.putArray("probes");
        all.forEach(d -> probes.add(d.line()));
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputFile.Writing out = OutputFile.of(file).open()) {
            json.writeValue(out.stream(), root);
            out.commit();
        }
    }
}
