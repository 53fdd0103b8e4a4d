package dev.baton.runtime.method;

import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.process.ProcessRunner;

/** What {@code ctx} needs from the runtime: the process runner and the configured limits. */
record MethodServices(ProcessRunner processRunner, int execDefaultOutputBytes, int execMaxOutputBytes,
        int execMaxInputBytes, int httpMaxBodyBytes, int fileMaxReadBytes) {

    static MethodServices from(BatonConfig config, ProcessRunner runner) {
        int maxOut = config.get(ConfigKeys.EXEC_MAX_OUTPUT_BYTES);
        return new MethodServices(runner,
                Math.min(config.get(ConfigKeys.EXEC_DEFAULT_OUTPUT_BYTES), maxOut), maxOut,
                config.get(ConfigKeys.EXEC_MAX_INPUT_BYTES),
                config.get(ConfigKeys.HTTP_MAX_BODY_BYTES),
                config.get(ConfigKeys.FILE_MAX_READ_BYTES));
    }
}
