package org.healthsearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs the Neo4j 5.26 community engine with its Bolt connector on 127.0.0.1, from the Maven Central
 * jars (the server tarball is not published there). Started and stopped by `healthsearch neo4j`.
 *
 * <p>Arguments: {@code --home DIR --port N --pagecache BYTES [--tx-timeout SECONDS]}. The password of
 * the {@code neo4j} user comes from the {@code NEO4J_PASSWORD} environment variable (never argv:
 * argv is visible to every user in {@code ps}).
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path home = Path.of(require(options, "--home")).toAbsolutePath();
        int port = Integer.parseInt(require(options, "--port"));
        long pagecache = Long.parseLong(options.getOrDefault("--pagecache", "268435456"));
        long txTimeout = Long.parseLong(options.getOrDefault("--tx-timeout", "0"));
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_PASSWORD must be set to at least 8 characters");
            System.exit(2);
        }
        Files.createDirectories(home);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache);
        if (txTimeout > 0) {
            builder.setConfig(GraphDatabaseSettings.transaction_timeout,
                    java.time.Duration.ofSeconds(txTimeout));
        }
        DatabaseManagementService service = builder.build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.shutdown();
            try {
                Files.deleteIfExists(home.resolve("ready"));
            } catch (IOException e) {
                // Best effort: the Python side checks the pid and Bolt, not only this file.
            }
            stopped.countDown();
        }, "neo4j-shutdown"));

        setPassword(service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
        // The Python side waits for this line (and for Bolt to accept the password) before use.
        writeReady(home, port);
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    /** Sets the neo4j user's password to the configured one; idempotent across restarts. */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one already set: that is the restart case.
            String message = String.valueOf(e.getMessage()) + " " + String.valueOf(e.getCause());
            if (!message.contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static void writeReady(Path home, int port) throws IOException {
        Path ready = home.resolve("ready");
        Files.writeString(ready, "bolt://127.0.0.1:" + port + "\n");
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            System.err.println("missing argument " + name);
            System.exit(2);
        }
        return value;
    }
}
