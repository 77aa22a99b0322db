package org.nifimemmap.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fuzz test of one parser: a method taking the raw input ({@code byte[]}) and checking it with
 * {@link ParserContract}. Without {@code JAZZER_FUZZ} it runs its seeds and saved findings as regression
 * tests; with it, it fuzzes for {@code jazzer.max_duration} (default 30 s).
 *
 * <p>Put {@code @MethodSource} with the seeds before this annotation: Jazzer requires its own argument
 * source to come last.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@FuzzTest(maxDuration = "30s")
@interface ParserFuzzTest {
}
