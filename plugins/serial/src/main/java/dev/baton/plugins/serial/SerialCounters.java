package dev.baton.plugins.serial;

/**
 * What a serial path has seen since it was opened.
 *
 * @param framesIn    good frames received
 * @param framesOut   frames the line accepted whole
 * @param badCrc      frames whose CRC did not match (dropped)
 * @param resyncBytes bytes skipped while looking for the next frame: noise, and the bytes of
 *                    frames that were dropped
 * @param oversize    headers declaring more than the largest frame (dropped without reading on)
 * @param truncated   frames cut short: a later whole frame arrived before their declared end
 */
public record SerialCounters(long framesIn, long framesOut, long badCrc, long resyncBytes, long oversize,
        long truncated) {
}
