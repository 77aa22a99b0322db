package org.nifimemmap.processors;

import java.util.Arrays;
import java.util.List;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.ProcessContext;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Text property values evaluated for one FlowFile and parsed; a value that does not parse is a configuration
 * error naming the property and the value, because with Expression Language it is only known per FlowFile.
 */
final class PropertyValues {
    private PropertyValues() {
    }

    /** The evaluated value, trimmed; null when empty. */
    static String text(ProcessContext context, PropertyDescriptor property, FlowFile flowFile) {
        String value = context.getProperty(property).evaluateAttributeExpressions(flowFile).getValue();
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A comma-separated list of names, blanks dropped; empty when the property is empty. */
    static List<String> names(ProcessContext context, PropertyDescriptor property, FlowFile flowFile) {
        return names(text(context, property, flowFile));
    }

    static List<String> names(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    /** A point "x,y,z" (whitespace allowed); a missing value or anything else is an error naming the property. */
    static double[] point(ProcessContext context, PropertyDescriptor property, FlowFile flowFile) {
        String value = text(context, property, flowFile);
        if (value == null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Property '" + property.getName() + "' is empty; it needs a point x,y,z");
        }
        String problem = pointProblem(value);
        if (problem != null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Property '" + property.getName() + "' = '" + value + "': " + problem);
        }
        return parsePoint(value);
    }

    /** A finite number; a missing value or anything else is an error naming the property. */
    static double number(ProcessContext context, PropertyDescriptor property, FlowFile flowFile) {
        String value = text(context, property, flowFile);
        try {
            double v = Double.parseDouble(value == null ? "" : value);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // Reported below with the property's name.
        }
        throw new MemmapException(ErrorKind.INVALID_CONFIG, "Property '" + property.getName() + "' = '" + value + "' is not a finite number");
    }

    /** Why a text is not a point "x,y,z", or null when it is one. */
    static String pointProblem(String value) {
        String[] parts = value.split(",", -1);
        if (parts.length != 3) {
            return "expected three comma-separated numbers x,y,z, found " + parts.length + " value" + (parts.length == 1 ? "" : "s");
        }
        for (int i = 0; i < 3; i++) {
            String part = parts[i].trim();
            try {
                if (!Double.isFinite(Double.parseDouble(part))) {
                    return "coordinate " + "xyz".charAt(i) + " = '" + part + "' is not finite";
                }
            } catch (NumberFormatException e) {
                return "coordinate " + "xyz".charAt(i) + " = '" + part + "' is not a number";
            }
        }
        return null;
    }

    private static double[] parsePoint(String value) {
        String[] parts = value.split(",");
        return new double[] {Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()), Double.parseDouble(parts[2].trim())};
    }
}
