// A webpack loader that turns any file into a module exporting its text.
// It stands in for the `raw-loader` package (not installed): same name, same result.
module.exports = function rawSourceLoader(source) {
  return `export default ${JSON.stringify(source)};`;
};
