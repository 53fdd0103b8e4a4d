package dev.baton.e2e.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialLinkTest {

    @BeforeEach
    void needsSocat() {
        TestbedAssumptions.assumeCommand("socat");
    }

    @Test
    void bytesWrittenAtOneEndArriveAtTheOther(@TempDir Path dir) throws Exception {
        try (SerialLink link = SerialLink.open(dir, "n1n2");
                InputStream atB = new FileInputStream(link.endB().toFile());
                OutputStream atA = new FileOutputStream(link.endA().toFile())) {
            atA.write("heartbeat 1\n".getBytes(StandardCharsets.US_ASCII));
            atA.flush();
            assertThat(readLine(atB).get(5, TimeUnit.SECONDS)).isEqualTo("heartbeat 1");
        }
    }

    @Test
    void cutGivesTheReaderEndOfFile(@TempDir Path dir) throws Exception {
        try (SerialLink link = SerialLink.open(dir, "cut");
                InputStream atB = new FileInputStream(link.endB().toFile())) {
            CompletableFuture<String> reading = readLine(atB);
            link.cut();
            link.cut();
            assertThat(reading.get(5, TimeUnit.SECONDS)).isEqualTo("<end of file>");
            assertThat(link.isConnected()).isFalse();
        }
    }

    @Test
    void closeRemovesTheEnds(@TempDir Path dir) {
        SerialLink link = SerialLink.open(dir, "gone");
        assertThat(link.endA()).exists();
        link.close();
        assertThat(Files.exists(link.endA()) || Files.exists(link.endB())).isFalse();
    }

    @Test
    void aTestbedClosesItsSerialLinks() {
        TestbedAssumptions.assumeNamespaces();
        SerialLink link;
        try (Testbed tb = Testbed.create(2, 1)) {
            link = tb.serialLink("n1n2");
            assertThat(link.isConnected()).isTrue();
        }
        assertThat(link.isConnected()).isFalse();
    }

    @Test
    void refusesANameThatIsNotAFileName(@TempDir Path dir) {
        assertThatThrownBy(() -> SerialLink.open(dir, "../x")).hasMessageContaining("serial link name must match");
    }

    /** Reads up to a newline on a virtual thread; end of file or a pty's EIO read as "<end of file>". */
    private static CompletableFuture<String> readLine(InputStream in) {
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            StringBuilder text = new StringBuilder();
            try {
                for (int b; (b = in.read()) != '\n'; ) {
                    if (b < 0) {
                        line.complete("<end of file>");
                        return;
                    }
                    text.append((char) b);
                }
                line.complete(text.toString());
            } catch (IOException e) {
                line.complete("<end of file>");
            }
        });
        return line;
    }
}
