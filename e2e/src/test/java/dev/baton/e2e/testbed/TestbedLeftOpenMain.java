package dev.baton.e2e.testbed;

import java.util.List;
import java.util.Map;

/**
  * A JVM that builds a testbed, starts a process in it, prints the names, and never closes it:
  * {@link TestbedShutdownHookTest} ends this JVM and checks the shutdown hook cleaned up.
  */
public final class TestbedLeftOpenMain {

    private TestbedLeftOpenMain() {}

    public static void main(String[] args) throws Exception {
        Testbed tb = Testbed.create(1, 1);
        Process sleeper = tb.exec(1, List.of("sleep", "1000"), Map.of(), tb.dir().resolve("sleep.log"));
        System.out.println("made " + tb.ns(1) + " " + tb.switchNs() + " " + sleeper.pid() + " " + tb.dir());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
