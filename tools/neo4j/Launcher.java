import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Starts a Neo4j 5 DBMS through the embedded API, with Bolt on 127.0.0.1 only.
 *
 * Usage: MARKETGRAPH_NEO4J_PASSWORD=... java -cp <jars> Launcher.java <dataDir> <port|0> [pageCache]
 * The password comes from the environment so it never shows in the process list.
 * Prints "BOLT_READY bolt://127.0.0.1:<port>" once clients can connect, and shuts down cleanly
 * on SIGTERM/SIGINT or when its standard input closes (so it never outlives the process that started it).
 */
public class Launcher {
    public static void main(String[] args) throws Exception {
        String password = System.getenv("MARKETGRAPH_NEO4J_PASSWORD");
        if (args.length < 2 || password == null || password.isEmpty()) {
            System.err.println("usage: MARKETGRAPH_NEO4J_PASSWORD=... Launcher <dataDir> <port|0> [pageCache]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String pageCache = args.length > 2 ? args[2] : "128m";

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, parseBytes(pageCache))
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(60))
                .build();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("SHUTTING_DOWN");
            dbms.shutdown();
        }, "neo4j-shutdown"));

        int boltPort;
        try {
            GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            try {
                system.executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
            } catch (RuntimeException e) {
                // A restart with the password the database already has: nothing to change.
                if (!String.valueOf(e.getMessage()).contains("cannot be the same")) throw e;
            }
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            var ports = ((GraphDatabaseAPI) db).getDependencyResolver().resolveDependency(ConnectorPortRegister.class);
            boltPort = ports.getLocalAddress(ConnectorType.BOLT).getPort();
        } catch (RuntimeException e) {
            // Never linger half-started: report, and exit (the shutdown hook stops the DBMS).
            System.err.println("Neo4j failed to start: " + e);
            System.exit(1);
            return;
        }
        System.out.println("BOLT_READY bolt://127.0.0.1:" + boltPort);
        System.out.flush();

        // Parent gone (stdin closed) means nobody will send SIGTERM: stop by ourselves.
        InputStream in = System.in;
        try {
            while (in.read() != -1) {
                // ignore input
            }
        } catch (IOException ignored) {
            // treated as closed
        }
        System.exit(0);
    }

    private static long parseBytes(String value) {
        String v = value.trim().toLowerCase();
        long unit = 1;
        if (v.endsWith("g")) { unit = 1L << 30; v = v.substring(0, v.length() - 1); }
        else if (v.endsWith("m")) { unit = 1L << 20; v = v.substring(0, v.length() - 1); }
        else if (v.endsWith("k")) { unit = 1L << 10; v = v.substring(0, v.length() - 1); }
        return Long.parseLong(v) * unit;
    }
}
