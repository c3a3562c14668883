using System.CommandLine;
using Moat.Cli.Hosting;
using Moat.Pipeline;

namespace Moat.Cli.Commands;

/// <summary><c>moat pipeline explain</c>: which filters run at which stage, in order.</summary>
internal static class PipelineCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var explain = new Command("explain", "Print the filters of every stage in the order they run.") { config, data };
        explain.SetAction(result =>
        {
            var options = CommonOptions.Load(result, config, data);
            if (options is null)
            {
                return ExitCodes.ConfigurationError;
            }

            var runner = new PipelineRunner(PipelineFactory.CreateFilters(options).Filters, PipelineFactory.CreateRunnerOptions(options));
            Console.WriteLine($"Every listener runs this pipeline; the first verdict other than Continue wins.");
            Console.WriteLine($"A filter that fails or takes longer than {options.Pipeline.FilterTimeout} answers 451 4.3.0.");
            foreach (var plan in runner.Describe())
            {
                Console.WriteLine();
                Console.WriteLine($"{plan.Stage}:");
                if (plan.Filters.Count == 0)
                {
                    Console.WriteLine("  (no filters)");
                }

                var position = 1;
                foreach (var filter in plan.Filters)
                {
                    Console.WriteLine($"  {position++}. {filter.Name,-18} {filter.Description}");
                }
            }

            return ExitCodes.Success;
        });

        return new Command("pipeline", "Inspect the policy pipeline.") { explain };
    }
}
