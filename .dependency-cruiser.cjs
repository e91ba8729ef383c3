// The import rule of ARCHITECTURE.md: a stage imports only the stages listed for it (and itself).
// Apps (api, cli, dashboard) may import everything; nothing imports an app.
const allowed = {
  core: [],
  config: ["core"],
  gbdt: ["core"],
  metrics: ["core"],
  report: ["core"],
  data: ["core", "config"],
  simulate: ["core", "config", "data"],
  features: ["core", "config", "data"],
  models: ["core", "config", "data", "features", "gbdt"],
  validation: ["core", "config", "data", "features", "gbdt", "models", "metrics"],
  analysis: ["core", "config", "data", "features", "gbdt", "models", "metrics", "validation"],
  tracking: ["core", "config", "data"],
  forecasting: ["core", "config", "data", "features", "gbdt", "models", "tracking"],
  monitoring: ["core", "config", "data", "metrics"],
  abtest: ["core", "config", "data", "metrics"],
  // Not in ARCHITECTURE.md's list: `megaretail train` chains validation, analysis, tracking and forecasting
  // models, which no single stage below may import together; the CLI should stay a thin parser, so the chain
  // lives in its own stage above every other (below the apps).
  pipeline: [
    "core",
    "config",
    "data",
    "features",
    "gbdt",
    "models",
    "metrics",
    "validation",
    "analysis",
    "tracking",
    "forecasting",
  ],
};
const apps = ["api", "cli", "dashboard"];
const stages = [...Object.keys(allowed), ...apps];

const forbidden = Object.entries(allowed).map(([stage, deps]) => ({
  name: `layer-${stage}`,
  comment: `src/${stage} may import only: ${deps.join(", ") || "nothing else in src"} (ARCHITECTURE.md)`,
  severity: "error",
  from: { path: `^src/${stage}/` },
  to: {
    path: `^src/(${stages.join("|")})/`,
    pathNot: [`^src/(${[stage, ...deps].join("|")})/`],
  },
}));
forbidden.push(
  {
    name: "no-importing-apps",
    comment: "Nothing imports an app (api, cli, dashboard) except the app itself.",
    severity: "error",
    from: { path: "^src/(?!(api|cli|dashboard)/)" },
    to: { path: "^src/(api|cli|dashboard)/" },
  },
  {
    name: "no-circular",
    comment: "No import cycles (type-only imports do not count: they vanish at run time).",
    severity: "error",
    from: {},
    to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
  },
  {
    name: "duckdb-only-in-data",
    comment: "Only src/data talks to DuckDB.",
    severity: "error",
    from: { path: "^src/", pathNot: "^src/data/" },
    to: { path: "@duckdb" },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
