package org.nifimemmap.processors;

import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.ProcessContext;
import org.nifimemmap.index.partition.Partition;
import org.nifimemmap.io.MemmapException;

/** The builders' Partition property: which share of space of a partitioned build (PlanIndexPartitions) to index. */
final class PartitionProperty {
    static final PropertyDescriptor PARTITION = new PropertyDescriptor.Builder()
            .name("Partition")
            .description("One partition of a partitioned build, as PlanIndexPartitions writes it in index.partition.spec:"
                    + " 'i/n minX,minY,minZ,maxX,maxY,maxZ' (0-based i of n; -inf and inf for open faces). Only the elements"
                    + " whose position (synapse afferent centre, soma centre, segment midpoint) lies in the half-open region are indexed, into"
                    + " <Output Directory>/<population>/part-iiii-of-nnnn/. Empty: the whole population, into <population>/.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validators.emptyOr((subject, input, context) -> {
                if (context.isExpressionLanguageSupported(subject) && context.isExpressionLanguagePresent(input)) {
                    return new ValidationResult.Builder().subject(subject).input(input).valid(true).explanation("evaluated per FlowFile").build();
                }
                try {
                    Partition.parse(input);
                    return new ValidationResult.Builder().subject(subject).input(input).valid(true).build();
                } catch (MemmapException e) {
                    return new ValidationResult.Builder().subject(subject).input(input).valid(false).explanation(e.getMessage()).build();
                }
            }))
            .build();

    private PartitionProperty() {
    }

    /** The partition for one FlowFile, or null for a whole-population build. */
    static Partition partition(ProcessContext context, FlowFile flowFile) {
        String text = PropertyValues.text(context, PARTITION, flowFile);
        return text == null ? null : Partition.parse(text);
    }
}
