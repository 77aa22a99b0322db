package org.nifimemmap.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The working directory of one node: conf/ written from our templates with this node's ports, extensions/ holding the
 * NARs a user would drop in, and the repositories and logs NiFi creates. NiFi's own lib/ stays in the assembled home
 * and is shared by every node.
 */
final class NodeDirectory {
    private static final List<String> CONF_FILES = List.of("nifi.properties", "logback.xml", "state-management.xml",
            "zookeeper.properties");

    private NodeDirectory() {
    }

    static void prepare(Path home, Path work, Map<String, String> tokens) throws IOException {
        Path conf = Files.createDirectories(work.resolve("conf"));
        for (String name : CONF_FILES) {
            String text = resource("conf/" + name);
            for (Map.Entry<String, String> token : tokens.entrySet()) {
                text = text.replace("@" + token.getKey() + "@", token.getValue());
            }
            if (text.matches("(?s).*@[A-Z_]+@.*")) {
                throw new IllegalStateException("conf/" + name + " has a token no value was given for");
            }
            Files.writeString(conf.resolve(name), text, StandardCharsets.UTF_8);
        }
        Path extensions = Files.createDirectories(work.resolve("extensions"));
        try (DirectoryStream<Path> nars = Files.newDirectoryStream(home.resolve("extensions"), "*.nar")) {
            for (Path nar : nars) {
                Path target = extensions.resolve(nar.getFileName());
                if (!Files.exists(target) || Files.size(target) != Files.size(nar)
                        || Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(nar)) < 0) {
                    Files.copy(nar, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.createDirectories(work.resolve("logs"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = NodeDirectory.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
