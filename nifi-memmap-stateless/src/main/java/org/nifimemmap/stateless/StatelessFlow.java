package org.nifimemmap.stateless;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.nar.NarUnpackMode;
import org.apache.nifi.nar.NarUnpacker;
import org.apache.nifi.stateless.config.ExtensionClientDefinition;
import org.apache.nifi.stateless.config.SslContextDefinition;
import org.apache.nifi.stateless.config.StatelessConfigurationException;
import org.apache.nifi.stateless.engine.StatelessEngineConfiguration;
import org.apache.nifi.stateless.flow.DataflowTrigger;
import org.apache.nifi.stateless.flow.StandardDataflowDefinition;
import org.apache.nifi.stateless.flow.StandardStatelessDataflowFactory;
import org.apache.nifi.stateless.flow.StatelessDataflow;
import org.apache.nifi.stateless.flow.TriggerResult;

/**
 * One flow definition running in NiFi's stateless engine, with the NARs of a directory (ours and
 * nifi-standard-services-api-nar) loaded read-only. Nothing is downloaded: no extension clients.
 */
public final class StatelessFlow implements AutoCloseable {
    private final StatelessDataflow dataflow;

    private StatelessFlow(StatelessDataflow dataflow) {
        this.dataflow = dataflow;
    }

    public static StatelessFlow start(FlowDefinitionFile definition, Map<String, String> parameters, Path narDirectory,
                                      Path workingDirectory) throws IOException {
        StandardDataflowDefinition dataflowDefinition = new StandardDataflowDefinition.Builder()
                .versionedExternalFlow(definition.toExternalFlow(parameters))
                .build();
        unpackNars(narDirectory, workingDirectory);
        try {
            StatelessDataflow dataflow = new StandardStatelessDataflowFactory()
                    .createDataflow(configuration(narDirectory, workingDirectory), dataflowDefinition,
                            StatelessFlow.class.getClassLoader());
            dataflow.initialize(() -> true);
            if (!dataflow.performValidation().isValid()) {
                dataflow.shutdown();
                throw new IllegalStateException("Flow " + definition.path() + " is not valid in the stateless engine;"
                        + " see the log above for each component's validation errors");
            }
            return new StatelessFlow(dataflow);
        } catch (StatelessConfigurationException e) {
            throw new IOException("Cannot configure the stateless engine: " + e.getMessage(), e);
        }
    }

    /** Enqueues one FlowFile per attribute map at the input port, runs the flow, returns what each output port got. */
    public Map<String, List<Map<String, String>>> run(String inputPort, List<Map<String, String>> flowFiles,
                                                      long timeout, TimeUnit unit) throws InterruptedException {
        for (Map<String, String> attributes : flowFiles) {
            dataflow.enqueue(new byte[0], attributes, inputPort);
        }
        Map<String, List<Map<String, String>>> byPort = new LinkedHashMap<>();
        while (dataflow.isFlowFileQueued()) {
            DataflowTrigger trigger = dataflow.trigger();
            Optional<TriggerResult> maybe = trigger.getResult(timeout, unit);
            if (maybe.isEmpty()) {
                trigger.cancel();
                throw new IllegalStateException("Flow did not finish within " + timeout + " " + unit);
            }
            TriggerResult result = maybe.get();
            if (!result.isSuccessful()) {
                Throwable cause = result.getFailureCause().orElse(null);
                throw new IllegalStateException("Flow run failed: " + cause, cause);
            }
            result.getOutputFlowFiles().forEach((port, files) -> {
                List<Map<String, String>> out = byPort.computeIfAbsent(port, p -> new ArrayList<>());
                for (FlowFile f : files) {
                    out.add(Map.copyOf(f.getAttributes()));
                }
            });
            result.acknowledge();
        }
        return byPort;
    }

    @Override
    public void close() {
        dataflow.shutdown();
    }

    /**
     * Unpacks every NAR where the engine's start-up discovery finds it. NARs found there get the system class
     * loader (with the NiFi API) as root; NARs loaded later as "additional" bundles would get none.
     */
    private static void unpackNars(Path narDirectory, Path workingDirectory) throws IOException {
        File extensions = workingDirectory.resolve("nar").resolve("extensions").toFile();
        File[] nars = narDirectory.toFile().listFiles(f -> f.getName().endsWith(".nar"));
        if (nars == null || nars.length == 0) {
            throw new IOException("No .nar files in " + narDirectory + "; build the project first (./mvnw install)");
        }
        for (File nar : nars) {
            NarUnpacker.unpackNar(nar, extensions, false, NarUnpackMode.UNPACK_TO_UBER_JAR);
        }
    }

    private static StatelessEngineConfiguration configuration(Path narDirectory, Path workingDirectory) {
        File nars = narDirectory.toFile();
        File work = workingDirectory.toFile();
        return new StatelessEngineConfiguration() {
            @Override public File getWorkingDirectory() { return work; }
            @Override public File getNarDirectory() { return nars; }
            @Override public File getExtensionsDirectory() { return nars; }
            // Already unpacked by unpackNars; listing them again would load each twice.
            @Override public Collection<File> getReadOnlyExtensionsDirectories() { return List.of(); }
            @Override public File getKrb5File() { return null; }
            @Override public Optional<File> getContentRepositoryDirectory() { return Optional.empty(); }
            @Override public SslContextDefinition getSslContext() { return null; }
            @Override public String getSensitivePropsKey() { return "nifi-memmap-stateless-runner"; }
            @Override public List<ExtensionClientDefinition> getExtensionClients() { return List.of(); }
            @Override public String getStatusTaskInterval() { return null; }
            @Override public boolean isLogExtensionDiscovery() { return false; }
        };
    }
}
