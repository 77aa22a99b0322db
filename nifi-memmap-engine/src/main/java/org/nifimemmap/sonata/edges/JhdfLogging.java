package org.nifimemmap.sonata.edges;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jhdf logs at INFO every time a file is opened or closed, which floods a NiFi log when a flow reads many
 * files. SLF4J has no API to set a level, so this sets the {@code io.jhdf} logger to WARN on the backend NiFi
 * uses (logback), found by reflection; with any other backend it leaves logging alone.
 */
public final class JhdfLogging {
    private static volatile boolean done;

    private JhdfLogging() {
    }

    public static void quiet() {
        if (done) {
            return;
        }
        Logger logger = LoggerFactory.getLogger("io.jhdf");
        try {
            Class<?> level = Class.forName("ch.qos.logback.classic.Level", false, logger.getClass().getClassLoader());
            logger.getClass().getMethod("setLevel", level).invoke(logger, level.getField("WARN").get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            // Not logback: the operator's logging configuration decides.
        }
        done = true;
    }
}
