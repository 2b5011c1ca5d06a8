package io.coord.bench;

import io.coord.bench.report.Chart;
import io.coord.bench.report.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord bench report}: rows in, comparison table + results.json + chart out. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Merges row files (JSON lines or lists), prints the comparison table with "
        + "Coord/peer ratios, writes DIR/results.json and DIR/chart.png.")
final class ReportCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", description = "files of result rows")
  List<Path> inputs;

  @Option(names = "--out", required = true, description = "directory for results.json and "
      + "chart.png")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<ResultRow> rows = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.exists(input)) {
        rows.addAll(Json.read(input));
      } else {
        System.err.println("report: no rows in " + input + " (missing)");
      }
    }
    Files.createDirectories(out);
    Json.writeList(out.resolve("results.json"), rows);
    System.out.print(Table.render(rows));
    try {
      Chart.write(rows, out.resolve("chart.png"));
      System.err.println("report: wrote " + out.resolve("results.json") + " and "
          + out.resolve("chart.png"));
    } catch (Exception | Error e) {
      System.err.println("report: wrote " + out.resolve("results.json")
          + "; no chart: " + e);
      return 1;
    }
    return 0;
  }
}
