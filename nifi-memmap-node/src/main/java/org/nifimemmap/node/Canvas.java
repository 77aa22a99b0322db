package org.nifimemmap.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user does on the canvas, as the canvas does it: the REST calls behind "Upload flow definition", the parameter
 * context dialog, the start and stop buttons and the component status.
 */
public final class Canvas {
    private static final String CLIENT = "nifi-memmap";

    private final NiFiRest rest;

    public Canvas(NiFiRest rest) {
        this.rest = rest;
    }

    public String rootGroupId() {
        return rest.get("/flow/process-groups/root").path("processGroupFlow").path("id").asText();
    }

    /** Uploads a flow definition into the root group as a new, stopped process group named as in the flow; returns its id. */
    public String upload(Path flowDefinition, double x, double y) throws IOException {
        String name = NiFiRest.json().readTree(flowDefinition.toFile()).path("flowContents").path("name").asText();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("groupName", name);
        fields.put("positionX", Double.toString(x));
        fields.put("positionY", Double.toString(y));
        fields.put("clientId", CLIENT);
        fields.put("disconnectedNodeAcknowledged", "false");
        return rest.upload("/process-groups/" + rootGroupId() + "/process-groups/upload", fields, "file", flowDefinition)
                .path("id").asText();
    }

    /** The root's child groups, by name. */
    public Map<String, String> groups() {
        Map<String, String> byName = new LinkedHashMap<>();
        for (JsonNode group : rest.get("/flow/process-groups/root").path("processGroupFlow").path("flow").path("processGroups")) {
            byName.put(group.path("component").path("name").asText(), group.path("id").asText());
        }
        return byName;
    }

    public JsonNode flow(String groupId) {
        return rest.get("/flow/process-groups/" + groupId).path("processGroupFlow").path("flow");
    }

    public String parameterContextId(String groupId) {
        return rest.get("/process-groups/" + groupId).path("component").path("parameterContext").path("id").asText();
    }

    public JsonNode parameterContext(String contextId) {
        return rest.get("/parameter-contexts/" + contextId);
    }

    /** Every parameter context's id, by name. */
    public Map<String, String> parameterContexts() {
        Map<String, String> byName = new LinkedHashMap<>();
        for (JsonNode context : rest.get("/flow/parameter-contexts").path("parameterContexts")) {
            byName.put(context.path("component").path("name").asText(), context.path("id").asText());
        }
        return byName;
    }

    /**
     * Sets parameters of one context through an update request, as the canvas's parameter dialog does (NiFi stops and
     * restarts the components that reference them), and waits for it to complete.
     */
    public void setParameters(String contextId, Map<String, String> values) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        String failure = updateParameters(contextId, values);
        // A node that rejoins the cluster while the update runs fails it; the canvas user would apply it again.
        while (NiFiRest.nodeInTransition(failure) && System.nanoTime() < deadline) {
            pause(1000);
            failure = updateParameters(contextId, values);
        }
        if (failure != null) {
            throw new IllegalStateException("parameter update failed: " + failure);
        }
    }

    /** One parameter update request, run to its end: null when it succeeded, else NiFi's failure reason. */
    private String updateParameters(String contextId, Map<String, String> values) {
        JsonNode current = parameterContext(contextId);
        ObjectNode entity = NiFiRest.json().createObjectNode();
        entity.set("revision", current.path("revision"));
        entity.put("id", contextId);
        ObjectNode component = entity.putObject("component");
        component.put("id", contextId);
        ArrayNode parameters = component.putArray("parameters");
        values.forEach((name, value) -> {
            ObjectNode parameter = parameters.addObject().putObject("parameter");
            parameter.put("name", name);
            parameter.put("value", value);
            parameter.put("sensitive", false);
        });
        JsonNode request = rest.post("/parameter-contexts/" + contextId + "/update-requests", entity).path("request");
        String path = "/parameter-contexts/" + contextId + "/update-requests/" + request.path("requestId").asText();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!request.path("complete").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("parameter update of context " + contextId + " did not complete in 60 s");
            }
            pause(200);
            request = rest.get(path).path("request");
        }
        rest.delete(path);
        return request.hasNonNull("failureReason") ? request.path("failureReason").asText() : null;
    }

    /** Names of the parameters a context defines. */
    public List<String> parameterNames(String contextId) {
        List<String> names = new ArrayList<>();
        for (JsonNode p : parameterContext(contextId).path("component").path("parameters")) {
            names.add(p.path("parameter").path("name").asText());
        }
        return names;
    }

    /** Starts (RUNNING) or stops (STOPPED) every component of a group, as the group's start and stop buttons do. */
    public void schedule(String groupId, String state) {
        ObjectNode body = NiFiRest.json().createObjectNode();
        body.put("id", groupId);
        body.put("state", state);
        body.put("disconnectedNodeAcknowledged", false);
        rest.put("/flow/process-groups/" + groupId, body);
    }

    /** Invalid components of a group and its children: "type 'name': validation errors". */
    public List<String> invalidComponents(String groupId) {
        List<String> invalid = new ArrayList<>();
        collectInvalid(groupId, invalid);
        return invalid;
    }

    private void collectInvalid(String groupId, List<String> invalid) {
        JsonNode flow = flow(groupId);
        for (String kind : List.of("processors", "inputPorts", "outputPorts")) {
            for (JsonNode entity : flow.path(kind)) {
                JsonNode component = entity.path("component");
                JsonNode errors = component.path("validationErrors");
                if (errors.isArray() && !errors.isEmpty()) {
                    invalid.add(kind + " '" + component.path("name").asText() + "': " + errors);
                }
            }
        }
        for (JsonNode child : flow.path("processGroups")) {
            collectInvalid(child.path("id").asText(), invalid);
        }
    }

    /** The attributes of every FlowFile waiting in a connection, through a listing request as "List queue" makes. */
    public List<Map<String, String>> listQueue(String connectionId) {
        JsonNode request = rest.post("/flowfile-queues/" + connectionId + "/listing-requests", NiFiRest.json().createObjectNode())
                .path("listingRequest");
        String path = "/flowfile-queues/" + connectionId + "/listing-requests/" + request.path("id").asText();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!request.path("finished").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("listing of connection " + connectionId + " did not finish in 30 s");
            }
            pause(100);
            request = rest.get(path).path("listingRequest");
        }
        List<Map<String, String>> flowFiles = new ArrayList<>();
        for (JsonNode summary : request.path("flowFileSummaries")) {
            // In a cluster the FlowFile lives on one node, which the request must name.
            String node = summary.hasNonNull("clusterNodeId") ? "?clusterNodeId=" + summary.path("clusterNodeId").asText() : "";
            JsonNode flowFile = rest.get("/flowfile-queues/" + connectionId + "/flowfiles/" + summary.path("uuid").asText() + node)
                    .path("flowFile");
            Map<String, String> attributes = new LinkedHashMap<>();
            flowFile.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
            flowFiles.add(attributes);
        }
        rest.delete(path);
        return flowFiles;
    }

    /** Provenance events of the node, newest first, through a provenance query as the Data Provenance dialog makes. */
    public List<JsonNode> provenanceEvents(int maxResults) {
        ObjectNode body = NiFiRest.json().createObjectNode();
        body.putObject("provenance").putObject("request").put("maxResults", maxResults).put("summarize", false)
                .put("incrementalResults", false);
        JsonNode query = rest.post("/provenance", body).path("provenance");
        String path = "/provenance/" + query.path("id").asText();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!query.path("finished").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("provenance query did not finish in 30 s");
            }
            pause(100);
            query = rest.get(path).path("provenance");
        }
        List<JsonNode> events = new ArrayList<>();
        query.path("results").path("provenanceEvents").forEach(events::add);
        rest.delete(path);
        return events;
    }

    /** The node's counters, "context/name" to value, as the Counters page shows them. */
    public Map<String, Long> counters() {
        Map<String, Long> values = new LinkedHashMap<>();
        for (JsonNode counter : rest.get("/counters").path("counters").path("aggregateSnapshot").path("counters")) {
            values.put(counter.path("context").asText() + "/" + counter.path("name").asText(), counter.path("valueCount").asLong());
        }
        return values;
    }

    /** FlowFiles queued in a connection, from its status. */
    public long queued(String connectionId) {
        return rest.get("/flow/connections/" + connectionId + "/status").path("connectionStatus").path("aggregateSnapshot")
                .path("flowFilesQueued").asLong();
    }

    /** Adds a processor to a group, as dragging one onto the canvas and configuring it does; returns its id. */
    public String addProcessor(String groupId, String type, Map<String, String> bundle, String name, Map<String, String> properties,
                               String schedulingPeriod, List<String> autoTerminated) {
        return addProcessor(groupId, type, bundle, name, properties, schedulingPeriod, autoTerminated, "ALL");
    }

    /** As above, with the nodes of a cluster it runs on: ALL, or PRIMARY for sources that must run once. */
    public String addProcessor(String groupId, String type, Map<String, String> bundle, String name, Map<String, String> properties,
                               String schedulingPeriod, List<String> autoTerminated, String executionNode) {
        ObjectNode body = NiFiRest.json().createObjectNode();
        body.putObject("revision").put("version", 0).put("clientId", CLIENT);
        ObjectNode component = body.putObject("component");
        component.put("type", type);
        component.put("name", name);
        ObjectNode b = component.putObject("bundle");
        bundle.forEach(b::put);
        component.putObject("position").put("x", 0).put("y", -300);
        ObjectNode config = component.putObject("config");
        ObjectNode props = config.putObject("properties");
        properties.forEach(props::put);
        config.put("schedulingPeriod", schedulingPeriod);
        config.put("executionNode", executionNode);
        ArrayNode terminated = config.putArray("autoTerminatedRelationships");
        autoTerminated.forEach(terminated::add);
        return rest.post("/process-groups/" + groupId + "/processors", body).path("id").asText();
    }

    public String addFunnel(String groupId, double x, double y) {
        ObjectNode body = NiFiRest.json().createObjectNode();
        body.putObject("revision").put("version", 0).put("clientId", CLIENT);
        body.putObject("component").putObject("position").put("x", x).put("y", y);
        return rest.post("/process-groups/" + groupId + "/funnels", body).path("id").asText();
    }

    /**
     * Draws a connection in {@code groupId} from one connectable to another ({@code type}: PROCESSOR, INPUT_PORT,
     * OUTPUT_PORT, FUNNEL; each with the group it lives in); returns the connection's id.
     */
    public String connect(String groupId, Connectable source, Connectable destination, String name, List<String> relationships) {
        ObjectNode body = NiFiRest.json().createObjectNode();
        body.putObject("revision").put("version", 0).put("clientId", CLIENT);
        ObjectNode component = body.putObject("component");
        component.put("name", name);
        component.putObject("source").put("id", source.id()).put("groupId", source.groupId()).put("type", source.type());
        component.putObject("destination").put("id", destination.id()).put("groupId", destination.groupId())
                .put("type", destination.type());
        ArrayNode selected = component.putArray("selectedRelationships");
        relationships.forEach(selected::add);
        return rest.post("/process-groups/" + groupId + "/connections", body).path("id").asText();
    }

    /** Starts or stops one processor, as its context menu does. */
    public void runStatus(String processorId, String state) {
        JsonNode current = rest.get("/processors/" + processorId);
        ObjectNode body = NiFiRest.json().createObjectNode();
        body.set("revision", current.path("revision"));
        body.put("state", state);
        rest.put("/processors/" + processorId + "/run-status", body);
    }

    /** A component a connection can start or end at. */
    public record Connectable(String id, String groupId, String type) {
    }

    /** Id of the component named {@code name} among a group's {@code kind} (processors, inputPorts, outputPorts). */
    public String componentId(String groupId, String kind, String name) {
        for (JsonNode entity : flow(groupId).path(kind)) {
            if (name.equals(entity.path("component").path("name").asText())) {
                return entity.path("id").asText();
            }
        }
        throw new IllegalArgumentException("no " + kind + " named '" + name + "' in group " + groupId);
    }

    /** Id of the connection named {@code name} in a group. */
    public String connectionId(String groupId, String name) {
        for (JsonNode entity : flow(groupId).path("connections")) {
            if (name.equals(entity.path("component").path("name").asText())) {
                return entity.path("id").asText();
            }
        }
        throw new IllegalArgumentException("no connection named '" + name + "' in group " + groupId);
    }

    /** The bulletin board: warnings and errors components reported, "source: message", oldest first. */
    public List<String> bulletins() {
        List<String> messages = new ArrayList<>();
        for (JsonNode entity : rest.get("/flow/bulletin-board").path("bulletinBoard").path("bulletins")) {
            JsonNode bulletin = entity.path("bulletin");
            messages.add(bulletin.path("sourceName").asText() + ": " + bulletin.path("message").asText());
        }
        return messages;
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
