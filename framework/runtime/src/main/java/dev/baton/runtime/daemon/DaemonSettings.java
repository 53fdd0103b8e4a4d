package dev.baton.runtime.daemon;

import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.guard.FailfastAction;
import dev.baton.runtime.guard.GuardSettings;
import java.nio.file.Path;

/**
 * How one daemon runs on its machine (the cluster's shape comes from the CCR instead).
 *
 * @param failfastAction  EXIT (tests, demos: kill everything, then exit with
 *                        {@link FailfastAction#EXIT_CODE}) or REBOOT (production)
 * @param guard           start the independent guard process (always, except in unit tests of the daemon itself)
 * @param realtime        ask for real-time scheduling and locked memory (refused in many containers; off to
 *                        measure the fallback on a host that would grant it)
 */
public record DaemonSettings(Path stateDir, Path pluginsDir, FailfastAction failfastAction, boolean guard,
                             boolean realtime, BatonConfig config, long recordingFileBytes, int recordingFiles) {
    public static final long DEFAULT_RECORDING_FILE_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_RECORDING_FILES = 4;

    GuardSettings guardSettings(String tag) {
        GuardSettings s = realtime ? GuardSettings.forThisDaemon(tag) : GuardSettings.forThisDaemon(tag).withRealtimePriority(0);
        return failfastAction == FailfastAction.REBOOT ? s.withProductionReboot() : s;
    }
}
