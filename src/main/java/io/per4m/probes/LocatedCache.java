package io.per4m.probes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.files.OutputFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where {@link StrippedGilLocator} found the GIL in a file, kept between runs: finding it reads the file's whole
 * code through objdump (seconds, on every giltracer run and doctor call), while the answer changes only with the
 * file. An entry holds the file's real path, size, modification time and build-id, and is used only while all four
 * still match. Entries live in the user's cache folder ({@code $XDG_CACHE_HOME}, else {@code ~/.cache}, then
 * {@code per4m/located/}), written atomically through {@link OutputFile}, which never writes through a symlink.
 * A cache that cannot be read or written costs only the time it would have saved.
 */
public final class LocatedCache {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;

    private LocatedCache(Path folder) {
        this.folder = folder;
    }

    /** The cache in {@code folder} (made when first written). */
    public static LocatedCache in(Path folder) {
        return new LocatedCache(folder);
    }

    /** The user's cache folder, or no cache when there is no home to put it in. */
    public static LocatedCache forThisUser() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        if (xdg != null && xdg.startsWith("/")) {
            return in(Path.of(xdg, "per4m", "located"));
        }
        return home == null || home.isEmpty() || home.equals("?") ? none() : in(Path.of(home, ".cache", "per4m", "located"));
    }

    /** Locates afresh every time. */
    public static LocatedCache none() {
        return new LocatedCache(null);
    }

    /** What one entry holds: the key it was found under, and the places. */
    private record Entry(String key, long takeGil, List<Long> dropGil, List<List<Long>> inlined, Long lockedAddress,
                         List<String> notes) {
        static Entry of(String key, StrippedGilLocator.Located l) {
            return new Entry(key, l.takeGil(), l.dropGil(),
                    l.inlined().stream().map(r -> List.of(r.address(), r.next())).toList(),
                    l.lockedAddress().isPresent() ? l.lockedAddress().getAsLong() : null, l.notes());
        }

        StrippedGilLocator.Located located() {
            return new StrippedGilLocator.Located(takeGil, List.copyOf(dropGil),
                    inlined.stream().map(r -> new StrippedGilLocator.InlinedRelease(r.get(0), r.get(1))).toList(),
                    lockedAddress == null ? OptionalLong.empty() : OptionalLong.of(lockedAddress), List.copyOf(notes));
        }
    }

    /** The places found earlier in this very file, if any. */
    public Optional<StrippedGilLocator.Located> get(Path file, Optional<String> buildId) {
        try {
            Optional<Key> key = key(file, buildId);
            if (key.isEmpty() || !Files.isRegularFile(key.get().entry(), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            Entry e = JSON.readValue(key.get().entry().toFile(), Entry.class);
            return e.key().equals(key.get().text()) ? Optional.of(e.located()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable or outdated entry: locate afresh
        }
    }

    public void put(Path file, Optional<String> buildId, StrippedGilLocator.Located located) {
        try {
            Optional<Key> key = key(file, buildId);
            if (key.isPresent()) {
                Files.createDirectories(folder);
                OutputFile.of(key.get().entry()).write(out -> JSON.writeValue(out, Entry.of(key.get().text(), located)));
            }
        } catch (IOException | RuntimeException e) {
            // not kept: the next run locates afresh
        }
    }

    /** @param text what the file is now (path, size, time, build-id) @param entry where its entry is kept */
    private record Key(String text, Path entry) {
    }

    private Optional<Key> key(Path file, Optional<String> buildId) throws IOException {
        if (folder == null) {
            return Optional.empty();
        }
        Path real = file.toRealPath();
        String text = real + "\n" + Files.size(real) + "\n" + Files.getLastModifiedTime(real).toMillis() + "\n"
                + buildId.orElse("");
        return Optional.of(new Key(text, entryOf(real)));
    }

    /** One entry per file: named by a digest of its path, which stays the same as the file changes. */
    private Path entryOf(Path real) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(real.toString().getBytes(StandardCharsets.UTF_8));
            return folder.resolve(HexFormat.of().formatHex(digest, 0, 16) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
