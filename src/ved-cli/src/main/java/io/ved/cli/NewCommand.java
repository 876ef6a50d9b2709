package io.ved.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ved new DIR --package P}: a new application project from the {@code ved-archetype}, by running Maven's
 * {@code archetype:generate} exactly as a user would (so the two cannot differ). The archetype comes from the local
 * Maven repository, where {@code mvn install} in Ved's checkout put it.
 */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Creates a Ved application project in a new folder (Maven's archetype:generate with ved-archetype).")
final class NewCommand implements Callable<Integer> {
    private static final Pattern JAVA_PACKAGE = Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");
    private static final Pattern MAVEN_ID = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch",
            "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
            "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
            "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
            "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the project's folder, which must not exist yet; its name becomes the artifactId")
    Path dir;

    @Option(names = "--package", required = true, paramLabel = "PACKAGE", description = "the Java package of its classes, e.g. com.acme.orders")
    String javaPackage;

    @Option(names = "--group-id", paramLabel = "GROUP", description = "its Maven groupId (default: the package)")
    String groupId;

    @Option(names = "--project-version", paramLabel = "VERSION", defaultValue = "1.0-SNAPSHOT",
            description = "its Maven version (default: ${DEFAULT-VALUE})")
    String projectVersion;

    @Option(names = "--offline", description = "run Maven offline (-o): the archetype and plugins come from the local repository only")
    boolean offline;

    @Option(names = "--maven", paramLabel = "MVN", description = "the mvn to run (default: $MAVEN_HOME/bin/mvn, else mvn on the PATH)")
    Path maven;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path target = dir.toAbsolutePath().normalize();
        String artifactId = checked(target);
        Files.createDirectories(target.getParent());
        Path work = Files.createTempDirectory("ved-new");  // no pom.xml here, so Maven adds the project to no parent
        Path log = work.resolve("archetype-generate.log");
        out.println("ved new: generating " + artifactId + " (" + javaPackage + ") from io.ved:ved-archetype:" + VedVersion.ved()
                + " with Maven ...");
        out.flush();
        ProcessBuilder builder = new ProcessBuilder(command(target, artifactId)).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));  // Maven on the JDK ved runs on (21+)
        int exit;
        try {
            exit = builder.start().waitFor();
        } catch (IOException e) {
            throw new UserError("cannot run Maven (" + builder.command().get(0) + "): " + e.getMessage()
                    + "; install Maven, or give its mvn with --maven");
        }
        if (exit != 0 || !Files.exists(target.resolve("pom.xml"))) {
            throw new UserError(failure(Files.readString(log), log));
        }
        out.println("created " + target + ":");
        out.println("  cd " + dir + " && mvn verify                        # its tests (the stories and the real-stack test)");
        out.println("  cd " + dir + " && mvn -q test-compile exec:java     # run it on the embedded stack");
        out.println("  its README.md says more; add domains as it shows");
        return 0;
    }

    private String checked(Path target) {
        if (!JAVA_PACKAGE.matcher(javaPackage).matches() || List.of(javaPackage.split("\\.")).stream().anyMatch(KEYWORDS::contains)) {
            throw new UserError("--package " + javaPackage + " is not a Java package name: give dot-separated identifiers "
                    + "that are not keywords, e.g. --package com.acme.orders");
        }
        if (Files.exists(target)) {
            throw new UserError(target + " exists already: ved new creates the project's folder itself; name a new one");
        }
        String artifactId = target.getFileName().toString();
        if (!MAVEN_ID.matcher(artifactId).matches()) {
            throw new UserError("the folder name '" + artifactId + "' becomes the artifactId, which allows only letters, "
                    + "digits and . _ -: name the folder e.g. orders");
        }
        if (groupId != null && !MAVEN_ID.matcher(groupId).matches()) {
            throw new UserError("--group-id " + groupId + " is not a Maven groupId: use letters, digits and . _ -, e.g. com.acme");
        }
        return artifactId;
    }

    private List<String> command(Path target, String artifactId) {
        List<String> command = new ArrayList<>(List.of(mvnExecutable(), "-B", "-ntp"));
        if (offline) {
            command.add("-o");
        }
        String repository = System.getProperty("maven.repo.local");
        if (repository != null && !repository.isBlank()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        command.addAll(List.of(
                "org.apache.maven.plugins:maven-archetype-plugin:" + VedVersion.archetypePlugin() + ":generate",
                "-DinteractiveMode=false",
                "-DarchetypeGroupId=io.ved", "-DarchetypeArtifactId=ved-archetype", "-DarchetypeVersion=" + VedVersion.ved(),
                "-DgroupId=" + (groupId == null ? javaPackage : groupId), "-DartifactId=" + artifactId,
                "-Dversion=" + projectVersion, "-Dpackage=" + javaPackage,
                "-DoutputDirectory=" + target.getParent()));
        return command;
    }

    private String mvnExecutable() {
        if (maven != null) {
            if (!Files.isExecutable(maven)) {
                throw new UserError("--maven " + maven + " is not an executable file: give the path of mvn");
            }
            return maven.toString();
        }
        for (String home : new String[] {System.getProperty("maven.home"), System.getenv("MAVEN_HOME"), System.getenv("M2_HOME")}) {
            if (home != null && !home.isBlank() && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
                return Path.of(home, "bin", "mvn").toString();
            }
        }
        return "mvn";
    }

    /** Maven's reason in one line, and what to do about the usual one: an archetype that was never installed. */
    static String failure(String mavenOutput, Path log) {
        String lower = mavenOutput.toLowerCase(Locale.ROOT);
        if (lower.contains("ved-archetype") && (lower.contains("could not find") || lower.contains("not found")
                || lower.contains("does not exist") || lower.contains("offline"))) {
            return "Maven cannot find io.ved:ved-archetype:" + VedVersion.ved() + " in the local repository: run "
                    + "'mvn install -DskipTests' in Ved's checkout first (log: " + log + ")";
        }
        String reason = mavenOutput.lines().filter(l -> l.startsWith("[ERROR]")).findFirst()
                .map(l -> l.substring("[ERROR]".length()).trim()).orElse("Maven failed");
        return "archetype:generate failed: " + reason + " (log: " + log + ")";
    }
}
