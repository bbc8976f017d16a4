/** The query GraphiQL opens with: the headline question, one selection away from the evidence. */
export const DEFAULT_QUERY = `# Who distributes Xiaomi in Korea, what do they carry, and on what evidence?
# Any spelling works: "South Korea", "Korea", "Hàn Quốc", "han quoc".
query WhoDistributesXiaomiInKorea {
  distributors(brand: "Xiaomi", market: "Hàn Quốc") {
    name
    distributes(brand: "Xiaomi", market: "Hàn Quốc") {
      totalCount
      edges {
        node { name nameVi }
        status
        evidence { quote start end status }
      }
    }
  }
}
`;
