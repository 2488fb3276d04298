// cdktf's Jest matchers (toHaveResourceWithProperties, toPlanSuccessfully…) in every test file,
// loaded on first use: requiring cdktf costs about a second of CPU, and most files never use them.
const NAMES = [
  "toHaveResource",
  "toHaveResourceWithProperties",
  "toHaveDataSource",
  "toHaveDataSourceWithProperties",
  "toHaveProvider",
  "toHaveProviderWithProperties",
  "toBeValidTerraform",
  "toPlanSuccessfully",
];

let matchers;
/** cdktf's own matchers, as its Testing.setupJest() hands them to expect.extend. */
function cdktfMatchers() {
  if (matchers === undefined) {
    const extend = expect.extend;
    expect.extend = (given) => {
      matchers = given;
    };
    try {
      require("cdktf").Testing.setupJest();
    } finally {
      expect.extend = extend;
    }
  }
  return matchers;
}

expect.extend(
  Object.fromEntries(
    NAMES.map((name) => [
      name,
      function (...args) {
        return cdktfMatchers()[name].apply(this, args);
      },
    ]),
  ),
);
