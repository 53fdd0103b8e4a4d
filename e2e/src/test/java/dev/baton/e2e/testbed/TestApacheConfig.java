package dev.baton.e2e.testbed;

import java.nio.file.Path;

/** The smallest httpd.conf for the harness's own tests (scenarios let the apache resource type write its own). */
final class TestApacheConfig {

    private static final String MODULES = "/usr/lib/apache2/modules";

    private TestApacheConfig() {}

    static String minimal(Path serverRoot, Path docRoot, String serverName) {
        return String.join("\n",
                "ServerRoot \"" + serverRoot + "\"",
                "ServerName " + serverName,
                "PidFile \"" + serverRoot.resolve("run/httpd.pid") + "\"",
                "DefaultRuntimeDir \"" + serverRoot.resolve("run") + "\"",
                "Mutex file:" + serverRoot.resolve("run") + " default",
                "ErrorLog \"" + serverRoot.resolve("logs/error.log") + "\"",
                "Listen 80",
                "LoadModule mpm_event_module " + MODULES + "/mod_mpm_event.so",
                "LoadModule authz_core_module " + MODULES + "/mod_authz_core.so",
                "LoadModule dir_module " + MODULES + "/mod_dir.so",
                "LoadModule mime_module " + MODULES + "/mod_mime.so",
                "TypesConfig /dev/null",
                "AddType text/html .html",
                "User www-data",
                "Group www-data",
                "DocumentRoot \"" + docRoot + "\"",
                "<Directory \"" + docRoot + "\">",
                "  Require all granted",
                "</Directory>",
                "DirectoryIndex index.html",
                "");
    }
}
