package dev.baton.runtime.js;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.io.IOAccess;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The one GraalJS engine of a Baton process, shared by every context (a shared engine makes a
 * new context ~30x cheaper and shares parsed code). Contexts are sandboxed: the CONSTRAINED
 * policy, host access only to members marked {@code @HostAccess.Export} (the {@code ctx}
 * object), no host classes, threads, processes or native code, and a read-only view of the
 * plugin's own {@code types/} folder for imports.
 */
public final class JsEngine implements AutoCloseable {
    private final Engine engine;

    public JsEngine() {
        this.engine = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                // Stock JDKs run GraalJS in the interpreter; for host-interop glue that is fine (STACK.md).
                .option("engine.WarnInterpreterOnly", "false")
                .build();
    }

    /**
     * A new sandboxed context whose imports resolve inside {@code typesRoot} and whose console
     * writes to {@code console}.
     */
    public Context newContext(Path typesRoot, OutputStream console) throws IOException {
        return Context.newBuilder("js")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .allowHostAccess(HostAccess.CONSTRAINED)
                .allowHostClassLookup(className -> false)
                .allowIO(IOAccess.newBuilder().fileSystem(new PluginFileSystem(typesRoot)).build())
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .out(console)
                .err(console)
                .option("js.esm-eval-returns-exports", "true")
                .build();
    }

    @Override
    public void close() {
        engine.close(true);
    }
}
