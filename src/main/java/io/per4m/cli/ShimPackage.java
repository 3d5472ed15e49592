package io.per4m.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The copy of the per4m Python package (its examples) the engine carries, written out for a traced interpreter whose
 * environment has no per4m: {@code giltracer --python X -m per4m.examples.contention} then works anyway.
 */
final class ShimPackage {
    private static final String ROOT = "shim";

    private ShimPackage() {
    }

    /** Writes the package into {@code dir} (made) and returns {@code dir}, the folder to put on sys.path. */
    static Path extract(Path dir) throws IOException {
        URL marker = ShimPackage.class.getResource(ROOT + "/per4m/__init__.py");
        if (marker == null) {
            throw new IOException("the per4m package is missing from the per4m jar: rebuild it with mvn package");
        }
        URI uri;
        try {
            uri = marker.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("cannot read " + marker + ": " + e.getMessage(), e);
        }
        if ("jar".equals(uri.getScheme())) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                copyTree(jar.provider().getPath(uri).getParent().getParent(), dir);
            }
        } else {
            copyTree(Path.of(uri).getParent().getParent(), dir);
        }
        return dir;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path target = to.resolve(from.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.copy(file, target);
        }
    }
}
