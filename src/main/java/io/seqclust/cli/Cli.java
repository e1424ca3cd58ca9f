package io.seqclust.cli;

import java.util.Set;

/** Offline commands of the launcher: they need neither Quarkus nor a broker. */
public final class Cli {

    private static final Set<String> COMMANDS = Set.of("evaluate", "bench");

    private Cli() {
    }

    public static boolean handles(String command) {
        return COMMANDS.contains(command);
    }

    /** @return the process exit code */
    public static int run(String[] args) {
        try {
            Args options = new Args(args, 1);
            switch (args[0]) {
                case "evaluate" -> Evaluate.run(options);
                case "bench" -> Bench.run(options);
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("seqclust " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
    }
}
