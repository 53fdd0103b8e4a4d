package dev.baton.runtime.guard;

import dev.baton.runtime.process.ProcessTag;

/** The guard's command line. */
record GuardOptions(String tag, long daemonPid, FailfastAction action, boolean allowReboot, int rtPriority) {
    static final String USAGE = "usage: GuardMain --tag T --daemon-pid P --action exit|reboot [--allow-reboot]"
            + " [--rt-priority 1-99, 0 for none]";

    GuardOptions {
        ProcessTag.requireValid(tag);
        if (daemonPid <= 1) {
            throw new IllegalArgumentException("--daemon-pid " + daemonPid + " is not a process to watch");
        }
        if (action == FailfastAction.REBOOT && !allowReboot) {
            throw new IllegalArgumentException("--action reboot needs --allow-reboot, the explicit production flag");
        }
        if (rtPriority < 0 || rtPriority > 99) {
            throw new IllegalArgumentException("--rt-priority " + rtPriority + " is not 0-99");
        }
    }

    /** Reads the arguments; throws naming the first problem. */
    static GuardOptions parse(String[] args) {
        String tag = null;
        Long daemonPid = null;
        FailfastAction action = null;
        boolean allowReboot = false;
        int rtPriority = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tag" -> tag = value(args, ++i);
                case "--daemon-pid" -> daemonPid = number(args, ++i);
                case "--action" -> action = FailfastAction.parse(value(args, ++i));
                case "--allow-reboot" -> allowReboot = true;
                case "--rt-priority" -> rtPriority = (int) Math.clamp(number(args, ++i), -1, 100);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        if (tag == null || daemonPid == null || action == null) {
            throw new IllegalArgumentException("--tag, --daemon-pid and --action are required");
        }
        return new GuardOptions(tag, daemonPid, action, allowReboot, rtPriority);
    }

    String describe() {
        return "tag " + tag + ", batond pid " + daemonPid + ", action " + action.word()
                + (rtPriority == 0 ? "" : ", SCHED_FIFO " + rtPriority);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static long number(String[] args, int i) {
        String v = value(args, i);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[i - 1] + " '" + v + "' is not a number", e);
        }
    }
}
