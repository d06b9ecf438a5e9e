import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { onDcaInput, short } from "../shared/dca-node.js";
import { fitRequestOf, type DcaFitConfig } from "../shared/dca-requests.js";

type Config = NodeDefinition & DcaFitConfig;

/**
 * On input, fits an Arps decline model to a rate history (msg.payload) and
 * sends the fit: parameters, goodness of fit and every excluded point with
 * its reason (docs/reservoir-dca.md).
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "dca-fit", function (this: NodeInstance, config: Config) {
    onDcaInput(
      RED,
      this,
      config,
      (dca, msg) => dca.fit(fitRequestOf(config, msg)),
      (fit) => ({
        fill: fit.flags.length > 0 ? "yellow" : "green",
        shape: "dot",
        text: `b ${short(fit.parameters.bExponent)}, Di ${short(fit.parameters.initialDeclineNominalPerYear)}/yr, R² ${short(fit.goodness.rSquaredLog)}, ${fit.excluded.length} excluded`,
      }),
    );
  });
};
