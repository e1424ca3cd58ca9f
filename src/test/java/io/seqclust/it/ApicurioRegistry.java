package io.seqclust.it;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Apicurio Registry for the registry test: its distribution from Maven Central (3.0.9, the newest whose
 * distribution runs on JDK 17; 3.3 needs 21), fetched over HTTP once per build directory and checked against its
 * SHA-1 (Maven cannot resolve it here: the parent POM of 3.0.9 is not served), unpacked, and run with its default
 * in-memory storage on a free port.
 */
final class ApicurioRegistry implements AutoCloseable {

    static final String VERSION = "3.0.9";
    private static final String SHA1 = "4deac01752711c32da5662e7b778b61c5e904746";
    private static final String URL = "https://repo.maven.apache.org/maven2/io/apicurio/apicurio-registry-app/" + VERSION
            + "/apicurio-registry-app-" + VERSION + "-all.tar.gz";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    private final Process process;
    private final String base;

    private ApicurioRegistry(Process process, String base) {
        this.process = process;
        this.base = base;
    }

    /** Unpacks (downloading first if need be) the distribution under {@code dir}, then starts it and waits until it answers. */
    static ApicurioRegistry start(Path dir) throws Exception {
        Path jar = unpacked(dir);
        int port = ServiceProcess.freePort();
        Path log = dir.resolve("registry-" + port + ".log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-jar", jar.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ApicurioRegistry registry = new ApicurioRegistry(p, "http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (registry.get("/apis/registry/v3/system/info").statusCode() == 200) {
                    return registry;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!p.isAlive()) {
                fail("the registry exited:\n" + Files.readString(log));
            }
            Thread.sleep(500);
        }
        registry.close();
        fail("the registry did not answer within 120 s:\n" + Files.readString(log));
        return null;
    }

    String base() {
        return base;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static Path unpacked(Path dir) throws Exception {
        Path home = dir.resolve(VERSION);
        Path jar = home.resolve("apicurio-registry-app-" + VERSION + "-runner.jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Files.createDirectories(dir);
        Path archive = dir.resolve("apicurio-registry-app-" + VERSION + "-all.tar.gz");
        if (!Files.isRegularFile(archive) || !SHA1.equals(sha1(archive))) {
            Path partial = dir.resolve(archive.getFileName() + ".part");
            HttpResponse<Path> r = HTTP.send(HttpRequest.newBuilder(URI.create(URL)).build(), HttpResponse.BodyHandlers.ofFile(partial));
            if (r.statusCode() != 200) {
                fail("downloading " + URL + " answered " + r.statusCode());
            }
            String got = sha1(partial);
            if (!SHA1.equals(got)) {
                fail(URL + " has SHA-1 " + got + ", not " + SHA1);
            }
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
        }
        Path staging = Files.createTempDirectory(dir, "unpack");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(archive)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = staging.resolve(e.getName()).normalize();
                if (!target.startsWith(staging)) {
                    fail("an entry outside the archive's folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        return jar;
    }

    private static String sha1(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-1");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
