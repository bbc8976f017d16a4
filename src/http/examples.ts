/**
 * The document GraphiQL opens with: one saved query per question analysts ask first. GraphiQL runs the
 * operation under the cursor, or offers the list when the play button is pressed.
 */
export const DEFAULT_QUERY = `# marketgraph: every fact with the quote it came from.
# Put the cursor in a query and press the play button (or Ctrl-Enter).

# Who distributes Xiaomi in Korea, what do they carry, and on what evidence?
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

# Search in any language, with or without diacritics, even with a typo.
query Search {
  search(text: "may loc khong khi", first: 5) {
    score
    matched
    entity { __typename name }
  }
}

# What surrounds an entity, shaped for a graph view (the rumoured Seoul office included).
query AroundSeoul {
  neighborhood(name: "Seul", depth: 2) {
    truncated
    nodes { id __typename name }
    edges { type from to status evidence { quote } }
  }
}

# How is a distributor connected to a Korean competitor of Xiaomi, and on what evidence?
query DistributorToCompetitor {
  path(from: "Koma Trade", to: "Samsung", relationshipTypes: ["DISTRIBUTES", "MANUFACTURES", "COMPETES_WITH"]) {
    length
    hops { from { name } direction edge { type status evidence { quote } } to { name } }
  }
}

# Companies that distribute some Xiaomi product in Korea, only on stated or reported evidence.
query XiaomiDistributors {
  companies(where: { distributes_SOME: { brand: "Xiaomi", market: "Korea", status: [STATED, REPORTED] } }) {
    totalCount
    edges { node { name } }
  }
}

# The counts an analyst asks first.
query Overview {
  stats {
    entities { kind count }
    relationships(status: [CONFIRMED, STATED]) { type status count }
    productsPerDistributor(market: "Korea") { company { name } products }
  }
}
`;
