package dev.baton.runtime.daemon;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What the transport carried and what it dropped, by reason; shown by {@code baton ctl status}. */
final class TransportCounters {
    final AtomicLong datagramsIn = new AtomicLong();
    final AtomicLong datagramsOut = new AtomicLong();
    final AtomicLong framesIn = new AtomicLong();
    final AtomicLong framesOut = new AtomicLong();
    final AtomicLong sendFailures = new AtomicLong();
    final AtomicLong undecodable = new AtomicLong();
    final AtomicLong wrongSender = new AtomicLong();
    final AtomicLong queueOverflow = new AtomicLong();
    final AtomicLong expiredBeforeSend = new AtomicLong();
    final AtomicLong badFrameLength = new AtomicLong();
    final AtomicLong refusedConnections = new AtomicLong();
    final AtomicLong serialErrors = new AtomicLong();
    final AtomicLong unroutable = new AtomicLong();

    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("datagramsIn", datagramsIn.get());
        m.put("datagramsOut", datagramsOut.get());
        m.put("tcpFramesIn", framesIn.get());
        m.put("tcpFramesOut", framesOut.get());
        m.put("sendFailures", sendFailures.get());
        m.put("undecodable", undecodable.get());
        m.put("wrongSender", wrongSender.get());
        m.put("queueOverflow", queueOverflow.get());
        m.put("expiredBeforeSend", expiredBeforeSend.get());
        m.put("badFrameLength", badFrameLength.get());
        m.put("refusedConnections", refusedConnections.get());
        m.put("serialErrors", serialErrors.get());
        m.put("unroutable", unroutable.get());
        return m;
    }
}
