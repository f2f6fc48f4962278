// SPDX-License-Identifier: MIT
// `patron`: the command-line face of the library. Exit status 0 ok, 2 bad arguments, 3 bad data,
// 1 anything else; every error message goes to stderr in the library's catalogue shape.
#include <algorithm>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli.hpp"
#include "patron/error.hpp"
#include "patron/version.hpp"

int main(int argc, char** argv) {
  namespace pc = patron::cli;
  CLI::App app{"patron " PATRON_VERSION_STRING
               ": customer scoring for CRM systems (summaries, RFM, CLV models, lifecycle, "
               "segments, recommendations)",
               "patron"};
  app.set_version_flag("--version", std::string("patron ") + PATRON_VERSION_STRING);
  app.require_subcommand(1);
  app.fallthrough(false);
  // `patron help [command]` is `patron [command] --help`, listed among the commands.
  app.add_subcommand("help", "Show the commands, or one command's options: patron help <command>");

  // Commands: one line each (src/cli/cmd_<name>.cpp).
  pc::add_summarize_command(app);
  pc::add_demo_command(app);
  pc::add_fit_command(app);
  pc::add_score_command(app);
  pc::add_rfm_command(app);
  pc::add_tiers_command(app);
  pc::add_segment_command(app);
  pc::add_rules_command(app);
  pc::add_recommend_command(app);
  pc::add_lifecycle_command(app);
  pc::add_triggers_command(app);
  pc::add_export_command(app);
  pc::add_campaign_command(app);
  pc::add_evaluate_command(app);
  pc::add_report_command(app);

  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "help") {
    args.erase(args.begin());
    args.push_back("--help");
  }
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  try {
    app.parse(args);
    return pc::exit_ok;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return pc::exit_usage;
  } catch (const pc::exit_request& r) {
    return r.status;
  } catch (const patron::invalid_argument_error& e) {
    std::cerr << e.what() << '\n';
    return pc::exit_usage;
  } catch (const patron::data_error& e) {
    std::cerr << e.what() << '\n';
    return pc::exit_data;
  } catch (const patron::error& e) {
    std::cerr << e.what() << '\n';
    return pc::exit_failure;
  } catch (const std::bad_alloc&) {
    std::cerr << "[patron.out_of_memory] patron: allocation failed\n";
    return pc::exit_failure;
  } catch (const std::exception& e) {
    std::cerr << "[patron.internal] patron: " << e.what() << '\n';
    return pc::exit_failure;
  }
}
