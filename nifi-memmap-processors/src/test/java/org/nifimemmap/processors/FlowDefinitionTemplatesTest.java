package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.nifi.flow.ConnectableComponentType;
import org.apache.nifi.flow.VersionedConnection;
import org.apache.nifi.flow.VersionedParameter;
import org.apache.nifi.flow.VersionedParameterContext;
import org.apache.nifi.flow.VersionedProcessGroup;
import org.apache.nifi.flow.VersionedProcessor;
import org.apache.nifi.processor.Processor;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.registry.flow.RegisteredFlowSnapshot;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every flow definition in templates/ loads with NiFi's own model, and our processors in it are valid and wired. */
class FlowDefinitionTemplatesTest {
    private static final Pattern PARAMETER = Pattern.compile("#\\{([^}]+)}");
    private static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static List<Path> templates() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("memmap.templates")))) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertFalse(all.isEmpty(), "templates/ holds no flow definition");
            return all;
        }
    }

    @ParameterizedTest
    @MethodSource("templates")
    void everyProcessorOfOursResolvesIsValidAndHasEveryRelationshipHandled(Path template) throws Exception {
        RegisteredFlowSnapshot snapshot = MAPPER.readValue(template.toFile(), RegisteredFlowSnapshot.class);
        VersionedProcessGroup root = snapshot.getFlowContents();
        assertNotNull(root, template + " has no flowContents");
        Map<String, String> parameters = parameters(snapshot, root);
        int ours = 0;
        for (VersionedProcessor processor : root.getProcessors()) {
            if (!"org.nifimemmap".equals(processor.getBundle().getGroup())) {
                continue;
            }
            ours++;
            assertEquals(System.getProperty("memmap.version"), processor.getBundle().getVersion(),
                    template + ": " + processor.getName() + " names another version of our NAR");
            Class<? extends Processor> type = Class.forName(processor.getType()).asSubclass(Processor.class);
            TestRunner runner = TestRunners.newTestRunner(type);
            Set<String> supported = new HashSet<>();
            runner.getProcessor().getPropertyDescriptors().forEach(d -> supported.add(d.getName()));
            processor.getProperties().forEach((name, value) -> {
                assertTrue(supported.contains(name), template + ": " + processor.getName() + " has no property " + name);
                String resolved = value == null ? null : substitute(value, parameters);
                // An empty parameter reaches a real node's validators as '', not as "not set": set it as such.
                if (resolved != null) {
                    runner.setProperty(name, resolved);
                }
            });
            runner.assertValid();
            Set<String> handled = new HashSet<>(processor.getAutoTerminatedRelationships());
            for (VersionedConnection connection : root.getConnections()) {
                if (connection.getSource().getId().equals(processor.getIdentifier())) {
                    assertEquals(ConnectableComponentType.PROCESSOR, connection.getSource().getType());
                    handled.addAll(connection.getSelectedRelationships());
                }
            }
            for (Relationship relationship : runner.getProcessor().getRelationships()) {
                assertTrue(handled.contains(relationship.getName()), template + ": relationship " + relationship.getName()
                        + " of " + processor.getName() + " is neither connected nor auto-terminated");
            }
        }
        assertTrue(ours > 0, template + " uses none of our processors");
    }

    private static Map<String, String> parameters(RegisteredFlowSnapshot snapshot, VersionedProcessGroup root) {
        Map<String, String> values = new HashMap<>();
        if (root.getParameterContextName() != null) {
            VersionedParameterContext context = snapshot.getParameterContexts().get(root.getParameterContextName());
            assertNotNull(context, "parameter context " + root.getParameterContextName() + " is not in the flow definition");
            for (VersionedParameter parameter : context.getParameters()) {
                values.put(parameter.getName(), parameter.getValue() == null ? "" : parameter.getValue());
            }
        }
        return values;
    }

    private static String substitute(String value, Map<String, String> parameters) {
        Matcher m = PARAMETER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            assertTrue(parameters.containsKey(name), "parameter #{" + name + "} is referenced but not defined");
            m.appendReplacement(out, Matcher.quoteReplacement(parameters.get(name)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
