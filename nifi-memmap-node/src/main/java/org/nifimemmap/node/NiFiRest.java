package org.nifimemmap.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * JSON over NiFi's REST API ({@code /nifi-api}), the same calls the canvas makes; a non-2xx answer is an exception with its body.
 * A change the cluster refuses because a node is (re)connecting is sent again once it has settled, as a user clicks again.
 */
public final class NiFiRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NODE_IN_TRANSITION = Pattern.compile("Node \\S+ is currently (connecting|disconnecting|disconnected)");
    private static final long TRANSITION_WAIT_MS = 120_000;

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public NiFiRest(URI base) {
        this.base = base;
    }

    public URI base() {
        return base;
    }

    public JsonNode get(String path) {
        return send(request(path).GET());
    }

    public JsonNode post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").POST(json(body)));
    }

    public JsonNode put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").PUT(json(body)));
    }

    public JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    /** A multipart form upload, as the canvas's "Upload flow definition" sends it. */
    public JsonNode upload(String path, java.util.Map<String, String> fields, String fileField, Path file) {
        String boundary = "----nifi-memmap-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            for (var field : fields.entrySet()) {
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                        + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
                    + file.getFileName() + "\"\r\nContent-Type: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(file));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** True once the web API answers; false while the node is still starting (connection refused or 5xx). */
    public boolean answers() {
        try {
            HttpResponse<String> response = http.send(request("/flow/about").GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * True when a message says the cluster refused a change because one of its nodes is not connected at that moment: a
     * node rejoining after a missed heartbeat or a new coordinator election is {@code CONNECTING} for a few seconds.
     */
    public static boolean nodeInTransition(String message) {
        return message != null && NODE_IN_TRANSITION.matcher(message).find();
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        long deadline = System.nanoTime() + TRANSITION_WAIT_MS * 1_000_000;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            // The replicator checks every node's state before it sends a change to any, so a refused change is safe to resend.
            while (response.statusCode() == 409 && nodeInTransition(response.body()) && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " -> HTTP " + response.statusCode() + ": "
                        + response.body());
            }
            String body = response.body();
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + request.uri(), e);
        }
    }
}
