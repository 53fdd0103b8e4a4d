package dev.baton.plugins.serial;

import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link SerialCounters}: written by the receiving and sending threads, read by any. */
final class CounterSet {
    final AtomicLong framesIn = new AtomicLong();
    final AtomicLong framesOut = new AtomicLong();
    final AtomicLong badCrc = new AtomicLong();
    final AtomicLong resyncBytes = new AtomicLong();
    final AtomicLong oversize = new AtomicLong();
    final AtomicLong truncated = new AtomicLong();

    SerialCounters snapshot() {
        return new SerialCounters(framesIn.get(), framesOut.get(), badCrc.get(), resyncBytes.get(), oversize.get(),
                truncated.get());
    }
}
