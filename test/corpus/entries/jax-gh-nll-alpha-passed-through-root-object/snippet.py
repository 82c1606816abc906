def NLL(mu1):
    
    mu = mu1[0]                                                                                 # the first parameter mu

    alpha=mu1[1]                                                                                # the second parameter alpha

    alpha_lumi_kFact = t.obj("alpha_ATLAS_LUMI")                     # initializing a ROOT object. Essential for the NLL computation
    
    alpha_lumi_kFact.setVal(alpha)                                                 # passing alpha value to the ROOT object
    
    result = mu+alpha_lumi_kFact.getVal()                                    # simplified result for illustration purpose  

    return result
