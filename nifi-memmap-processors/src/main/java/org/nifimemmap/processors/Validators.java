package org.nifimemmap.processors;

import org.apache.nifi.components.PropertyValue;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.Validator;

/** Validators NiFi's StandardValidators lacks; expressions are checked when evaluated, per FlowFile. */
final class Validators {
    static final Validator POSITIVE_DECIMAL = (subject, input, context) -> {
        if (isExpression(subject, input, context)) {
            return valid(subject, input, "evaluated per FlowFile");
        }
        try {
            double value = Double.parseDouble(input.trim());
            boolean ok = value > 0 && Double.isFinite(value);
            return new ValidationResult.Builder().subject(subject).input(input).valid(ok)
                    .explanation(ok ? "positive number" : "must be a positive, finite number").build();
        } catch (NumberFormatException e) {
            return new ValidationResult.Builder().subject(subject).input(input).valid(false)
                    .explanation("not a number").build();
        }
    };

    /** A point "x,y,z" of three finite numbers. */
    static final Validator POINT = (subject, input, context) -> {
        if (isExpression(subject, input, context)) {
            return valid(subject, input, "evaluated per FlowFile");
        }
        String problem = PropertyValues.pointProblem(input);
        return new ValidationResult.Builder().subject(subject).input(input).valid(problem == null)
                .explanation(problem == null ? "a point x,y,z" : problem).build();
    };

    private Validators() {
    }

    /**
     * An optional property whose value may be empty: NiFi hands an empty parameter to validators as '', and an empty
     * parameter in a flow definition means "not set" (e.g. channels and rate then come from the Neuroscope XML).
     */
    static Validator emptyOr(Validator validator) {
        return (subject, input, context) -> input == null || input.isBlank()
                ? valid(subject, input, "empty: not set")
                : validator.validate(subject, input, context);
    }

    /** An optional whole-number property; empty (an empty parameter) is not set. */
    static Integer optionalInteger(PropertyValue value) {
        String text = value.getValue();
        return text == null || text.isBlank() ? null : Integer.valueOf(text.trim());
    }

    private static boolean isExpression(String subject, String input, ValidationContext context) {
        return context.isExpressionLanguageSupported(subject) && context.isExpressionLanguagePresent(input);
    }

    private static ValidationResult valid(String subject, String input, String why) {
        return new ValidationResult.Builder().subject(subject).input(input).valid(true).explanation(why).build();
    }
}
