package io.seqclust.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Set;

/** The offline commands of the launcher: they need neither Quarkus nor a broker. */
@Command(name = "seqclust", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        subcommands = {EvaluateCommand.class, BenchCommand.class},
        description = {"Clusters streams of variable-length sequences on Kafka.",
                "Without a command, runs the service (an embedded Kafka broker and a demo stream when no"
                        + " kafka.bootstrap.servers is set). The commands below run offline."})
public final class Cli {

    private static final Set<String> FIRST_ARGUMENTS = Set.of("evaluate", "bench", "help", "--help", "-h", "--version", "-V");

    /** Whether the launcher's arguments are for the offline commands rather than the service. */
    public static boolean handles(String first) {
        return FIRST_ARGUMENTS.contains(first);
    }

    /** @return the process exit code: 0, 2 for a usage error or a bad argument, 1 for a failure */
    public static int run(String... args) {
        CommandLogging.configure();
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Cli()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.addSubcommand("help", new CommandLine.HelpCommand());
        ModelOptions.addTo(cli.getSubcommands().get("evaluate").getCommandSpec());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                // a bad argument found while running (an unknown data set, a setting out of range): no stack trace
                commandLine.getErr().println("seqclust " + commandLine.getCommandName() + ": " + e.getMessage());
                return commandLine.getCommandSpec().exitCodeOnInvalidInput();
            }
            throw e;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"seqclust " + (v == null ? "(development build)" : v)};
        }
    }
}
