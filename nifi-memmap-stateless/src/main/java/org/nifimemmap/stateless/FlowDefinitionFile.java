package org.nifimemmap.stateless;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.nifi.flow.VersionedExternalFlow;
import org.apache.nifi.flow.VersionedExternalFlowMetadata;
import org.apache.nifi.flow.VersionedParameter;
import org.apache.nifi.flow.VersionedParameterContext;
import org.apache.nifi.flow.VersionedProcessGroup;
import org.apache.nifi.flow.VersionedProcessor;
import org.apache.nifi.registry.flow.RegisteredFlowSnapshot;

/** A NiFi 2 flow definition as the UI's "Download flow definition" writes it, read with NiFi's own model classes. */
public final class FlowDefinitionFile {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path path;
    private final RegisteredFlowSnapshot snapshot;

    private FlowDefinitionFile(Path path, RegisteredFlowSnapshot snapshot) {
        this.path = path;
        this.snapshot = snapshot;
    }

    public static FlowDefinitionFile read(Path path) throws IOException {
        RegisteredFlowSnapshot snapshot = MAPPER.readValue(path.toFile(), RegisteredFlowSnapshot.class);
        if (snapshot.getFlowContents() == null) {
            throw new IOException(path + " is not a NiFi flow definition: it has no flowContents");
        }
        return new FlowDefinitionFile(path, snapshot);
    }

    public Path path() {
        return path;
    }

    public VersionedProcessGroup rootGroup() {
        return snapshot.getFlowContents();
    }

    public Map<String, VersionedParameterContext> parameterContexts() {
        return snapshot.getParameterContexts() == null ? Map.of() : snapshot.getParameterContexts();
    }

    /** Every processor in the flow, nested groups included. */
    public List<VersionedProcessor> processors() {
        List<VersionedProcessor> all = new ArrayList<>();
        collect(rootGroup(), all);
        return all;
    }

    private static void collect(VersionedProcessGroup group, List<VersionedProcessor> into) {
        into.addAll(group.getProcessors());
        group.getProcessGroups().forEach(child -> collect(child, into));
    }

    /**
     * The flow as the stateless engine takes it, with parameter values overridden by name in every
     * parameter context that declares them. Unknown names are an error: a typo must not pass silently.
     */
    public VersionedExternalFlow toExternalFlow(Map<String, String> parameterOverrides) {
        List<String> unknown = new ArrayList<>(parameterOverrides.keySet());
        for (VersionedParameterContext context : parameterContexts().values()) {
            for (VersionedParameter parameter : context.getParameters()) {
                if (parameterOverrides.containsKey(parameter.getName())) {
                    parameter.setValue(parameterOverrides.get(parameter.getName()));
                    unknown.remove(parameter.getName());
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Flow definition " + path + " has no parameter named " + unknown
                    + "; it has " + parameterNames());
        }
        VersionedExternalFlow flow = new VersionedExternalFlow();
        flow.setFlowContents(snapshot.getFlowContents());
        flow.setParameterContexts(snapshot.getParameterContexts());
        flow.setParameterProviders(snapshot.getParameterProviders());
        VersionedExternalFlowMetadata metadata = new VersionedExternalFlowMetadata();
        metadata.setFlowName(rootGroup().getName());
        flow.setMetadata(metadata);
        return flow;
    }

    public List<String> parameterNames() {
        return parameterContexts().values().stream()
                .flatMap(c -> c.getParameters().stream())
                .map(VersionedParameter::getName)
                .sorted()
                .toList();
    }
}
